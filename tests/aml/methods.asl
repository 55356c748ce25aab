// Method calls: arguments, locals, return values, nested calls inside
// expressions, recursion (deep: 200 levels), Serialized methods, names
// created inside methods (deleted at exit, re-created by the next call).
// expect: int 0x3250
DefinitionBlock ("", "DSDT", 2, "CAIRN", "METHODS", 1)
{
    Method (ADD3, 3) { Return (Arg0 + Arg1 + Arg2) }
    Method (SUMN, 1)                      // recursive sum 1..n
    {
        If (Arg0 == 0) { Return (0) }
        Return (Arg0 + SUMN (Arg0 - 1))
    }
    Method (SER1, 1, Serialized)
    {
        Name (TMP0, 5)
        TMP0 += Arg0
        Return (TMP0)
    }
    Method (NORT, 0) { Local0 = 1 }
    Method (MAIN, 0)
    {
        If (ADD3 (1, ADD3 (2, 3, 4), 5) != 15) { Return (1) }
        If (SER1 (1) != 6) { Return (2) }
        If (SER1 (2) != 7) { Return (3) }      // TMP0 re-created each call
        NORT ()
        If (SUMN (10) != 55) { Return (5) }
        Return (SUMN (160))                  // 12880 = 0x3250
    }
}
