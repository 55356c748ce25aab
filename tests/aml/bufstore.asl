// Store to a named Buffer keeps the target's length (ACPI 6.5 chapter 19,
// implicit conversion to a Buffer target; as Windows and ACPICA do): a
// shorter source is zero-filled, a longer one (an 8-byte Integer, a String
// with its NUL) truncated; the object is written in place, so an Index
// reference taken before sees the new bytes.
// expect: int 0xb1
DefinitionBlock ("", "DSDT", 2, "CAIRN", "BUFST", 1)
{
    Name (BUF0, Buffer (4) { 1, 2, 3, 4 })
    Name (BUF1, Buffer (2) { })
    Method (MAIN, 0)
    {
        Local0 = Index (BUF0, 3)
        BUF0 = Buffer () { 9, 8 }
        If (SizeOf (BUF0) != 4) { Return (1) }
        If (DerefOf (BUF0 [0]) != 9) { Return (2) }
        If (DerefOf (BUF0 [2]) != 0) { Return (3) }
        If (DerefOf (Local0) != 0) { Return (4) }
        BUF1 = 0x1234567890
        If (SizeOf (BUF1) != 2) { Return (5) }
        If (DerefOf (BUF1 [1]) != 0x78) { Return (6) }
        BUF1 = "XYZ"
        If (SizeOf (BUF1) != 2) { Return (7) }
        Return (DerefOf (BUF1 [0]) + DerefOf (BUF1 [1]))
    }
}
