// A reference to a LocalX that outlives its method: dereferencing or
// storing through it later is one reported error (table-level code skips
// the construct and goes on), never a read of a dead frame, whatever
// method runs in that frame slot by then.
// expect: int 0x16
// errors: 2
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFDEAD", 1)
{
    Name (RSLT, 0x11)
    Name (KEEP, 0)
    Method (GETR, 0)
    {
        Local0 = 0x22
        Return (RefOf (Local0))
    }
    Method (OTHR, 0)
    {
        Local0 = 0x33
        Return (DerefOf (KEEP))
    }
    Method (STOR, 1) { Arg0 = 0x44 }
    Method (LIVE, 0)
    {
        Local0 = 5
        Local1 = RefOf (Local0)
        Return (DerefOf (Local1))
    }
    CopyObject (GETR (), KEEP)
    RSLT = OTHR ()
    STOR (KEEP)
    RSLT += LIVE ()                     // while the frame lives: fine
    Method (MAIN, 0) { Return (RSLT) }
}
