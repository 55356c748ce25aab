// A table whose load-time code loads another copy of itself: nesting stops
// at 4 levels with one reported error, instead of recursing without end.
// expect: int 4
// errors: 1
// mem: 0x300000 ssdt_nest.asl
DefinitionBlock ("", "DSDT", 2, "CAIRN", "LOADNEST", 1)
{
    OperationRegion (TBLR, SystemMemory, 0x300000, 0x1000)
    Field (TBLR, ByteAcc, NoLock) { WHOL, 0x8000 }
    Name (BUFX, Buffer (0x1000) {}) // a Store keeps this length
    Name (HNDL, 0)
    Name (DPTH, 0)
    Method (MAIN, 0)
    {
        BUFX = WHOL
        Load (BUFX, HNDL)
        Return (DPTH)
    }
}
