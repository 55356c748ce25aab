// Load from an OperationRegion and from a Buffer, LoadTable with RootPath
// and ParameterPath, Unload removing exactly the loaded names, a table
// loaded twice (loads again, its existing names skipped quietly: rule 7 of
// issue 14), a missing table (not an error), DataTableRegion.
// Each check sets one bit of the result.
// expect: int 0x3ff
// mem: 0x200000 ssdt_mem.asl
// table: ssdt_lt.asl
DefinitionBlock ("", "DSDT", 2, "CAIRN", "LOADTEST", 1)
{
    External (\LDM1, MethodObj)
    External (\LDV1, IntObj)
    External (\LDCT, IntObj)
    External (\_SB.LTM1, MethodObj)
    External (\_SB.LTV1, IntObj)
    OperationRegion (TBLR, SystemMemory, 0x200000, 0x1000)
    Field (TBLR, AnyAcc, NoLock) { SIGN, 32, TLEN, 32 }
    Field (TBLR, ByteAcc, NoLock) { WHOL, 0x8000 }
    Name (HND1, 0)
    Name (HND2, 0)
    Name (TBUF, Buffer (0x1000) {}) // a Store keeps this length
    DataTableRegion (DTR0, "SSDT", "CAIRN", "LTTEST")
    Field (DTR0, AnyAcc, NoLock) { Offset (16), DTID, 48 }

    Method (MAIN, 0)
    {
        Local0 = 0
        Load (TBLR, HND1)
        If (CondRefOf (\LDV1) && LDM1 (1) == 0x1235 && LDCT == 1) { Local0 |= 1 }
        If (ObjectType (HND1) == 15) { Local0 |= 2 }
        Load (TBLR, Local1)              // the same table again: loads
        If (CondRefOf (\_SB.LDD1)) { Local0 |= 4 }
        Unload (HND1)
        If (!CondRefOf (\LDV1) && !CondRefOf (\_SB.LDD1) && CondRefOf (TBLR)) {
            Local0 |= 8
        }
        // The same bytes as a Buffer: loads again after the Unload.
        TBUF = WHOL
        Load (TBUF, HND2)
        If (CondRefOf (\LDV1) && LDCT == 1) { Local0 |= 0x10 }
        Local3 = LoadTable ("SSDT", "CAIRN", "LTTEST", "\\_SB", "PARM", 21)
        If (Local3 && \_SB.LTM1 () == 42 && \_SB.LTV1 == 5) { Local0 |= 0x20 }
        Local4 = LoadTable ("SSDT", "NOBODY", "", "", "", 0)
        If (Local4 == 0) { Local0 |= 0x40 }
        If (DTID == 0x54534554544C) { Local0 |= 0x80 }   // "LTTEST"
        Unload (Local3)
        If (!CondRefOf (\_SB.LTV1) && CondRefOf (\LDV1)) { Local0 |= 0x100 }
        Unload (HND2)
        If (!CondRefOf (\LDV1)) { Local0 |= 0x200 }
        Return (Local0)
    }
}
