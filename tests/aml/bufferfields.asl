// Buffer fields: CreateBitField .. CreateQWordField and CreateField,
// reads and writes, fields wider than an integer.
// expect: int 0x1
DefinitionBlock ("", "DSDT", 2, "CAIRN", "BFIELDS", 1)
{
    Name (BUF, Buffer (16) {})
    CreateByteField (BUF, 0, BY0)
    CreateWordField (BUF, 1, WD1)
    CreateDWordField (BUF, 4, DW4)
    CreateQWordField (BUF, 8, QW8)
    CreateBitField (BUF, 127, BT7F)
    CreateField (BUF, 4, 4, NIB)
    Method (MAIN, 0)
    {
        BY0 = 0xA5
        If (NIB != 0xA) { Return (2) }
        WD1 = 0xBEEF
        If (DerefOf (BUF [1]) != 0xEF || DerefOf (BUF [2]) != 0xBE) { Return (3) }
        DW4 = 0x11223344
        If (DW4 != 0x11223344) { Return (4) }
        QW8 = 0x8877665544332211
        If (QW8 != 0x8877665544332211) { Return (5) }
        If (BT7F != 1) { Return (6) }
        BT7F = 0
        If (DerefOf (BUF [15]) != 0x08) { Return (7) }
        CreateField (BUF, 0, 128, ALL)
        If (SizeOf (ALL) != 16) { Return (8) }
        Return (1)
    }
}
