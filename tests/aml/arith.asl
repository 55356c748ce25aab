// Integer arithmetic and logic operators, 64-bit (revision 2 table).
// expect: int 0x2a
DefinitionBlock ("", "DSDT", 2, "CAIRN", "ARITH", 1)
{
    Method (MAIN, 0)
    {
        Local0 = 40
        Local0 += 2
        If (Local0 != 42) { Return (1) }
        Local1 = (Local0 * 3) - 6        // 120
        Divide (Local1, 7, Local2, Local3) // q 17 r 1
        If (Local3 != 17 || Local2 != 1) { Return (2) }
        If ((Local1 % 7) != 1) { Return (3) }
        If ((0xF0 | 0x0F) != 0xFF) { Return (4) }
        If ((0xFF & 0x3C) != 0x3C) { Return (5) }
        If ((0xFF ^ 0x0F) != 0xF0) { Return (6) }
        If ((1 << 40) != 0x10000000000) { Return (7) }
        If ((0x8000000000000000 >> 63) != 1) { Return (8) }
        If (~0 != 0xFFFFFFFFFFFFFFFF) { Return (9) }
        If (FindSetLeftBit (0x80) != 8) { Return (10) }
        If (FindSetRightBit (0x80) != 8) { Return (11) }
        If (FindSetLeftBit (0) != 0) { Return (12) }
        Local4 = 5
        Local4++
        Local4--
        Local4--
        If (Local4 != 4) { Return (13) }
        If (NAnd (0xF, 0x3) != 0xFFFFFFFFFFFFFFFC) { Return (14) }
        If (NOr (0, 0) != Ones) { Return (15) }
        If (FromBCD (0x1234) != 1234) { Return (16) }
        If (ToBCD (1234) != 0x1234) { Return (17) }
        If (!(LAnd (1, 2) && LOr (0, 1))) { Return (18) }
        If (LNot (0) != Ones) { Return (19) }
        If (!(3 > 2 && 2 < 3 && 3 >= 3 && 3 <= 3)) { Return (20) }
        Return (Local0)
    }
}
