// Two reference cycles through a heap cell (the object a LocalX moves into
// when a reference to it outlives its method), found by the aml_methods
// fuzz target (issue 14 campaign); counted objects in a cycle are never
// freed, so both leaked past aml_destroy (LeakSanitizer) before the fix.
// SELF: `DerefOf (Local0) = Local0` with Local0 an Index reference into
// MTH2's cell would make the cell's element refer to the cell: refused
// (one reported error, SELF aborted, as a store of a package element's
// reference into that element already was). BACK: the cell's element is
// given a reference to BACK's own Local0, which holds the reference to the
// cell: when BACK returns, its Local0 stays out of a new cell (read as
// uninitialised through the element), as a direct self-reference does.
// expect: int 0x21
// errors: 1
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFCYC", 1)
{
    Name (RSLT, 0)
    Method (MTH2, 1)
    {
        Local0 = 5
        Arg0 = RefOf (Local0)
        Return (RefOf (Local0))
    }
    Method (SELF, 0)
    {
        MTH2 (RefOf (Local0))
        DerefOf (Local0) = Local0
        RSLT = 0xBAD
    }
    Method (BACK, 0)
    {
        MTH2 (RefOf (Local0))
        Local1 = RefOf (Local0)
        DerefOf (Local0) = Local1
        Return (0x20)
    }
    SELF ()
    RSLT |= 1
    RSLT |= BACK ()
    Method (MAIN, 0) { Return (RSLT) }
}
