// Rule 7 of issue 14: Load of a table identical to one already loaded
// loads it again, skipping the names that exist (uACPI's
// tests/test-cases/table-loading-2.asl loads one table ten times
// recursively; the duplicate names are not errors and its table-level code
// runs each time: LDCT counts 2); a Load that fails (a Buffer that is no
// table) is reported, does not abort the method, and stores Zero (false)
// to its target, as uACPI's handle_load does; LoadTable finds the tables
// given to amlrun on its command line, here this DSDT itself (loaded
// again: its top-level counter runs again).
// expect: int 0x1f
// errors: 1
// mem: 0x300000 ssdt_mem.asl
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTLOAD", 1)
{
    External (\LDM1, MethodObj)
    External (\LDCT, IntObj)
    OperationRegion (TBLR, SystemMemory, 0x300000, 0x1000)
    Name (BADB, Buffer (0x40) { 0x53, 0x53, 0x44, 0x54 })
    Name (TOPC, 0)
    TOPC++
    Method (MAIN, 0)
    {
        Local0 = 0
        Load (TBLR, Local1)
        Load (TBLR, Local2)              // identical: loaded again
        If (LDCT == 2 && LDM1 (1) == 0x1235) { Local0 |= 1 }
        If (Local2) { Local0 |= 2 }
        Local3 = 0x1234
        Load (BADB, Local3)              // fails: reported, target Zero
        If (Local3 == 0) { Local0 |= 4 }
        Local4 = LoadTable ("DSDT", "CAIRN", "NTLOAD", "", "", 0)
        If (Local4) { Local0 |= 8 }
        If (TOPC == 2) { Local0 |= 0x10 }
        Return (Local0)
    }
}
