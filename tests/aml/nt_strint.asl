// Rule 4 of issue 14: a String stored through a reference to an Integer
// (and to a named Integer) copies the String's bytes into the Integer,
// little-endian, as Windows does: "12" -> 0x3231, not 0x12. Source:
// uACPI's object_assign_with_implicit_cast ("that's what NT does"); the
// String's bytes exclude the NUL, the rest of the Integer is zero, a
// longer string is cut at the integer's width.
// expect: int 0x1
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTSTRI", 1)
{
    Name (INT0, 0)
    Name (INT1, 0xFFFF)
    Method (SETR, 1) { Arg0 = "AB" }
    Method (MAIN, 0)
    {
        Local0 = RefOf (INT0)
        Local0 = "12"
        If (INT0 != 0x3231) { Return (0x10) }
        INT1 = "123456789"
        If (INT1 != 0x3837363534333231) { Return (0x20) }
        Local1 = 5
        Local2 = RefOf (Local1)
        Local2 = "1"
        If (Local1 != 0x31) { Return (0x30) }
        Return (1)
    }
}
