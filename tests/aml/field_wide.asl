// An IndexField whose index register is itself a wide field: each access
// unit of the IndexField writes the whole register first, so one Store
// costs the product of the two widths (the aml_load fuzz target found a
// table spending 5 s of CPU in _STA on such a store). Field access units
// count against the statement's work budget (AML_STMT_WORK, 16384 units),
// registers included, so the store is refused before any access: one
// error for the budget and one for the failed Store. WIDE is aborted and
// the table goes on loading; narrow fields are not affected. Before: the
// store made all 128 x (512 + 1 + 1) accesses and no error was reported.
// expect: int 0xf
// errors: 2
DefinitionBlock ("", "DSDT", 2, "CAIRN", "FLDWIDE", 1)
{
    OperationRegion (MEM0, SystemMemory, 0x200000, 0x400)
    Field (MEM0, ByteAcc, NoLock, Preserve)
    {
        IDX0, 4096,
        DAT0, 8,
        SMAL, 8
    }
    IndexField (IDX0, DAT0, ByteAcc, NoLock, Preserve)
    {
        WIDF, 1024
    }
    Name (DONE, 0)
    Method (WIDE, 0)
    {
        WIDF = 0x55
        DONE = 1
    }
    WIDE ()
    Name (AFTR, 1)
    Method (MAIN, 0)
    {
        Local0 = 0
        If (DONE == 0) { Local0 |= 1 }
        If (CondRefOf (AFTR)) { Local0 |= 2 }
        // Nothing of the refused store reached the region.
        If (DAT0 == 0) { Local0 |= 4 }
        SMAL = 0x5a
        If (SMAL == 0x5a) { Local0 |= 8 }
        Return (Local0)
    }
}
