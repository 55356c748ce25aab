// A revision-1 table: integers are 32 bits wide (Ones, overflow, Not).
// expect: int 0xffffffff
DefinitionBlock ("", "DSDT", 1, "CAIRN", "INT32", 1)
{
    Method (MAIN, 0)
    {
        If (0xFFFFFFFF + 1 != 0) { Return (1) }
        If (Not (0) != 0xFFFFFFFF) { Return (2) }
        If ((1 << 32) != 0) { Return (3) }
        Return (Ones)
    }
}
