// Field units over SystemMemory and SystemIO: bit-exact reads and writes,
// access widths, Preserve / WriteAsOnes / WriteAsZeros update rules,
// Offset(), IndexField, BankField, and fields wider than an integer.
// expect: int 0
DefinitionBlock ("", "DSDT", 2, "CAIRN", "FIELDS", 1)
{
    OperationRegion (MEM0, SystemMemory, 0x100000, 0x100)
    Field (MEM0, ByteAcc, NoLock, Preserve)
    {
        B0,   8,
        N0,   4,
        N1,   4,
        Offset (4),
        D0,   32,
        Offset (0x10),
        WIDE, 96,
    }
    Field (MEM0, DWordAcc, NoLock, Preserve)
    {
        Offset (0x20),
        , 3,
        X5,  5,          // bits 3..7 of the dword at 0x20
        , 24,
        Y32, 32,
    }
    Field (MEM0, DWordAcc, NoLock, WriteAsOnes)
    {
        Offset (0x30),
        , 8,
        ONE8, 8,
    }
    Field (MEM0, DWordAcc, NoLock, WriteAsZeros)
    {
        Offset (0x34),
        , 8,
        ZER8, 8,
    }
    Field (MEM0, DWordAcc, NoLock, Preserve)
    {
        Offset (0x30),
        RAW0, 32,
        RAW1, 32,
    }
    OperationRegion (IO0, SystemIO, 0x80, 2)
    Field (IO0, ByteAcc, NoLock, Preserve) { IDX, 8, DAT, 8 }
    IndexField (IDX, DAT, ByteAcc, NoLock, Preserve)
    {
        Offset (2),
        IF2, 8,
        IF3, 8,
    }
    OperationRegion (MEM1, SystemMemory, 0x200000, 0x10)
    Field (MEM1, ByteAcc, NoLock, Preserve) { BNK, 8 }
    BankField (MEM1, BNK, 1, ByteAcc, NoLock, Preserve)
    {
        Offset (4),
        BF1, 8,
    }
    Method (MAIN, 0)
    {
        B0 = 0x5A
        N0 = 0x3
        N1 = 0xC
        If (B0 != 0x5A) { Return (1) }
        If (N0 != 3 || N1 != 0xC) { Return (2) }
        D0 = 0xDEADBEEF
        If (D0 != 0xDEADBEEF) { Return (3) }
        X5 = 0x1F
        If (X5 != 0x1F) { Return (4) }
        Y32 = 0xFFFFFFFF
        X5 = 0
        If (Y32 != 0xFFFFFFFF) { Return (5) }
        RAW0 = 0x12345678
        ONE8 = 0                     // other bytes of the unit become ones
        If (RAW0 != 0xFFFF00FF) { Return (6) }
        RAW1 = 0x12345678
        ZER8 = 0xAB                  // other bytes become zeros
        If (RAW1 != 0x0000AB00) { Return (7) }
        WIDE = Buffer () { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }
        Local0 = WIDE
        If (ObjectType (Local0) != 3) { Return (8) }
        If (DerefOf (Local0 [11]) != 12) { Return (9) }
        IF2 = 0x42                   // index register 2, then data
        If (IDX != 2 || DAT != 0x42) { Return (10) }
        IF3 = 0x43
        If (IDX != 3 || DAT != 0x43) { Return (12) }
        If (IF3 != 0x43) { Return (13) }
        BF1 = 0x77
        If (BNK != 1 || BF1 != 0x77) { Return (11) }
        Return (0)
    }
}
