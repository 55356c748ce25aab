// Rule 2 of issue 14: Concatenate (String, Integer) turns the Integer into
// its short hexadecimal form, as Windows does: lower-case digits without
// leading zeros ("id" + 0x1A = "id1a", + 0 = "id0"), not the 16
// zero-padded digits of ACPICA's implicit conversion. Source: uACPI's
// handle_concatenate (formats the Integer with "%" PRIx64, matching NT).
// Operands come from Names so iasl cannot fold them.
// expect: str "id1a-0-ffffffffffffffff"
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTCAT", 1)
{
    Name (PRE, "id")
    Name (VAL, 0x1A)
    Name (ZER, 0)
    Name (BIG, 0xFFFFFFFFFFFFFFFF)
    Method (MAIN, 0)
    {
        Local0 = Concatenate (PRE, VAL)
        Local0 = Concatenate (Local0, "-")
        Local0 = Concatenate (Local0, ZER)
        Local0 = Concatenate (Local0, "-")
        Local0 = Concatenate (Local0, BIG)
        Return (Local0)
    }
}
