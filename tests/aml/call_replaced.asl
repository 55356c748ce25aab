// A method call whose arguments replace the method's name while they are
// evaluated (found by the aml_methods fuzz target, 2026-12-02: a name
// CopyObject'd a method into itself, then a String over it, inside the
// call's own argument). The call runs the method object it was decoded
// against, with the argument count decoded for it, as a running method
// keeps its object when its name is replaced. (iasl refuses CopyObject to
// a method's name, so the test goes through an ArgX reference.) Before: the frame was pushed
// with the name's new value, a String read as a method (SIGSEGV at address
// 3, the String's length taken for the code pointer).
// expect: int 0x2a
// errors: 0
DefinitionBlock ("", "DSDT", 2, "CAIRN", "CALLREPL", 1)
{
    Name (STR0, "abc")
    Method (ADD1, 1) { Return (Arg0 + 1) }
    // Arg0: a reference to ADD1; CopyObject through it replaces the object.
    Method (KILL, 1)
    {
        CopyObject (STR0, Arg0)
        Return (0x28)
    }
    Method (MAIN, 0)
    {
        Local0 = ADD1 (KILL (RefOf (ADD1)))
        // The name is a String now; the call above ran the method.
        CondRefOf (ADD1, Local1)
        If (ObjectType (Local1) != 2) { Return (0xbad1) }
        If (DerefOf (Local1) != "abc") { Return (0xbad2) }
        Return (Local0 + 1)
    }
}
