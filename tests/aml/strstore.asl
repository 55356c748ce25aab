// Store to a named String follows Windows (see aml_store_string and the
// differences table in docs/aml.md; uACPI's README gives the first three
// cases as NT's behaviour): the target keeps its length and takes the
// source's raw bytes -- an Integer's little-endian bytes, a String's
// characters, a Buffer's bytes -- truncated or zero-filled. The
// specification and ACPICA convert and take the source's length instead:
// acpiexec 20200925 fails check 1 (STR0 becomes "00000000004F4F46"), as
// did Cairn before; with the early returns removed it aborts at check 6
// (STR3 became the 2-character "XY"). LocalX targets and CopyObject still
// replace the object.
// expect: str "FOO-LONG--ABCDE-GH"
DefinitionBlock ("", "DSDT", 2, "CAIRN", "STRSTORE", 1)
{
    Name (STR0, "BAR")
    Name (STR1, "XXXX")
    Name (STR2, "")
    Name (STR3, "ABCDEF")
    Name (STR4, "12345")
    Name (STR5, "zz")
    Name (STR6, "ab")
    Method (MAIN, 0)
    {
        Local0 = 0x4f4f46
        STR0 = Local0                        // "FOO": the Integer's bytes
        If (SizeOf (STR0) != 3) { Return ("1") }
        Local0 = Index (STR1, 1)
        STR1 = "LONGSTRING"                  // truncated to 4
        If (SizeOf (STR1) != 4) { Return ("2") }
        If (DerefOf (Local0) != 0x4f) { Return ("3") }   // written in place
        STR2 = "FOO"                         // an empty String stays empty
        If (SizeOf (STR2) != 0) { Return ("4") }
        STR3 = "XY"                          // zero-filled, length kept
        If (SizeOf (STR3) != 6) { Return ("5") }
        If (DerefOf (STR3 [1]) != 0x59 || DerefOf (STR3 [2]) != 0) { Return ("6") }
        STR4 = Buffer () { 0x41, 0x42, 0x43, 0x44, 0x45, 0x46 }
        If (SizeOf (STR4) != 5) { Return ("7") }
        Local1 = RefOf (STR5)                // through a LocalX's reference
        Local1 = 0x4847
        If (SizeOf (STR5) != 2) { Return ("8") }
        CopyObject ("LONGER", STR6)          // CopyObject replaces
        If (SizeOf (STR6) != 6) { Return ("9") }
        Local2 = "ab"
        Local2 = "abcdef"                    // a LocalX is overwritten
        If (SizeOf (Local2) != 6) { Return ("10") }
        Return (Concatenate (Concatenate (Concatenate (STR0, "-"), Concatenate (STR1, "-")),
                Concatenate (Concatenate (STR2, "-"), Concatenate (Concatenate (STR4, "-"), STR5))))
    }
}
