// Integer operators with run-time operands (iasl folds constant
// expressions, so every operand comes from a LocalX or a Name): ShiftRight,
// And, NAnd, NOr, XOr, Not, FindSetLeftBit, FindSetRightBit, FromBCD,
// ToBCD, Revision, each as an expression and with a Target, in 64-bit
// arithmetic (table revision 2; int32.asl has the 32-bit cases). Values
// from ACPI 6.5 section 19.6 (operator definitions); acpiexec 20200925
// returns the same.
// expect: int 0x600d
DefinitionBlock ("", "DSDT", 2, "CAIRN", "OPSINT", 1)
{
    Name (VAL0, 0xf0f0)
    Method (MAIN, 0)
    {
        Local0 = VAL0
        Local1 = 0x0ff0
        If (ShiftRight (Local0, 4) != 0x0f0f) { Return (1) }
        ShiftRight (Local0, 8, Local2)
        If (Local2 != 0xf0) { Return (2) }
        If ((Local0 >> 64) != 0) { Return (3) }         // shift >= width: 0
        If (And (Local0, Local1) != 0xf0) { Return (4) }
        And (Local0, Local1, Local2)
        If (Local2 != 0xf0) { Return (5) }
        If (NAnd (Local0, Local1) != 0xffffffffffffff0f) { Return (6) }
        NAnd (Local0, Local0, Local2)
        If (Local2 != 0xffffffffffff0f0f) { Return (7) }
        If (NOr (Local0, 0x0f0f) != 0xffffffffffff0000) { Return (8) }
        NOr (Local0, Zero, Local2)
        If (Local2 != 0xffffffffffff0f0f) { Return (9) }
        If (XOr (Local0, Local1) != 0xff00) { Return (10) }
        Local2 = Local0 ^ Local0
        If (Local2 != 0) { Return (11) }
        If (Not (Local0) != 0xffffffffffff0f0f) { Return (12) }
        Not (Local1, Local2)
        If (Local2 != 0xfffffffffffff00f) { Return (13) }
        If (~Local2 != 0x0ff0) { Return (14) }
        // FindSetLeftBit / FindSetRightBit: 1-based bit number, 0 for 0
        If (FindSetLeftBit (Local0) != 16) { Return (15) }
        If (FindSetRightBit (Local0) != 5) { Return (16) }
        Local3 = 0
        If (FindSetLeftBit (Local3) != 0 || FindSetRightBit (Local3) != 0) { Return (17) }
        FindSetLeftBit (Ones, Local2)
        If (Local2 != 64) { Return (18) }
        Local3 = 0x8000000000000000
        FindSetRightBit (Local3, Local2)
        If (Local2 != 64) { Return (19) }
        // BCD: each nibble one decimal digit
        Local3 = 0x1234
        If (FromBCD (Local3) != 1234) { Return (20) }
        Local3 = 1234
        If (ToBCD (Local3) != 0x1234) { Return (21) }
        Local3 = 9999999999999999            // 16 digits fit 64 bits
        ToBCD (Local3, Local2)
        If (Local2 != 0x9999999999999999) { Return (22) }
        FromBCD (Local2, Local4)
        If (Local4 != Local3) { Return (23) }
        // Revision: the interpreter's version, a non-zero Integer
        Local5 = Revision
        If (ObjectType (Local5) != 1 || Local5 == 0) { Return (24) }
        Return (0x600d)
    }
}
