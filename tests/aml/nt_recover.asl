// Rule 5 of issue 14: after the nesting limit aborts a runaway recursion
// called from table-level code, the rest of that table's top-level code
// still runs (the abort unwinds only the recursion, reported once).
// expect: int 0x3
// errors: 1
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTRECV", 1)
{
    Name (RSLT, 0)
    Method (RECU, 1) { Return (RECU (Arg0 + 1)) }
    RSLT |= 1
    RECU (0)
    RSLT |= 2
    Method (MAIN, 0) { Return (RSLT) }
}
