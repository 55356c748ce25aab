// Rule 1 of issue 14: objects replaced by CopyObject / Store while
// something still refers to them stay safe. A Field keeps the region it
// was declared over (as uACPI does: its field units hold a counted
// reference to the region object), so after CopyObject (0x55, OPR1) the
// name OPR1 is an Integer and FLD1 still reads and writes the old region.
// CopyObject of a region shares the region (ObjectType 10, and a Field
// declared over the copy works); a Store through RefOf (region) in an
// ArgX replaces the named object (ArgX stores overwrite, ACPI 6.5
// 19.3.5.5); an IndexField whose index register is replaced, a BankField
// whose bank register is replaced and a BufferField whose buffer name is
// replaced keep working on the objects they were made from. Cases after
// uACPI's tests/test-cases/copy-object-opregion.asl (Windows must not crash
// either: the old code read freed/foreign memory: SIGSEGV at -O2).
// Each check sets one bit.
// expect: int 0xff
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTREPL", 1)
{
    OperationRegion (OPR1, SystemMemory, 0x100000, 0x10)
    Field (OPR1, DWordAcc, NoLock, Preserve) { FLD1, 32, FLD2, 32 }
    OperationRegion (OPR2, SystemMemory, 0x100010, 0x10)
    Field (OPR2, DWordAcc, NoLock, Preserve) { FLD3, 32 }
    OperationRegion (OPR3, SystemMemory, 0x100020, 0x10)
    Field (OPR3, ByteAcc, NoLock, Preserve) { IDX0, 8, DAT0, 8, BNK0, 8 }
    IndexField (IDX0, DAT0, ByteAcc, NoLock, Preserve) { IF00, 8, IF01, 8 }
    BankField (OPR3, BNK0, 1, ByteAcc, NoLock, Preserve) { Offset (4), BF00, 8 }
    Name (BUF0, Buffer (4) { 1, 2, 3, 4 })
    CreateByteField (BUF0, 2, BYT2)
    Name (FAKE, 123)
    Method (REPL, 1) { Arg0 = 123 }
    Method (MAIN, 0)
    {
        Local7 = 0
        FLD1 = 0x1234
        CopyObject (0x55, OPR1)
        If (FLD1 == 0x1234 && ObjectType (OPR1) == 1) { Local7 |= 1 }
        FLD2 = 0x99
        If (FLD2 == 0x99) { Local7 |= 2 }
        CopyObject (OPR2, Local0)
        If (ObjectType (Local0) == 10) { Local7 |= 4 }
        CopyObject (OPR2, FAKE)
        Field (FAKE, DWordAcc, NoLock, Preserve) { FAKF, 32 }
        FAKF = 0x77
        If (FLD3 == 0x77) { Local7 |= 8 }
        REPL (RefOf (OPR2))
        Local1 = DerefOf (RefOf (OPR2))
        If (ObjectType (OPR2) == 1 && Local1 == 123 && FLD3 == 0x77) { Local7 |= 0x10 }
        IF01 = 0x42
        CopyObject (9, IDX0)
        If (IF01 == 0x42) { Local7 |= 0x20 }
        BF00 = 0x5a
        CopyObject ("x", BNK0)
        If (BF00 == 0x5a) { Local7 |= 0x40 }
        CopyObject (0, BUF0)
        BYT2 = 0x33
        If (BYT2 == 0x33 && BUF0 == 0) { Local7 |= 0x80 }
        Return (Local7)
    }
}
