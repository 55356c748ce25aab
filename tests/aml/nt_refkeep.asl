// Rule 3 of issue 14: a reference to a LocalX or ArgX outlives its method's
// frame. RefOf (Local0) put into a package that the caller keeps, and a
// returned RefOf (Local0), still read (and write) the variable's object
// after the callee returned, as in Windows (uACPI README: "Returning a
// reference to a local object ... perfectly fine", its objects are
// counted). Before: E_NOENT, "method has returned".
// expect: int 0x2a2b
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTREFK", 1)
{
    Name (PKG0, Package (2) {})
    Method (FILL, 1)
    {
        Local0 = 0x2A
        Arg0 [0] = RefOf (Local0)
        Local1 = 0x2B
        Return (RefOf (Local1))
    }
    Method (MAIN, 0)
    {
        Local2 = FILL (PKG0)
        OTHR ()                              // reuses FILL's frame slot
        Local3 = DerefOf (PKG0 [0])               // every level followed
        Local4 = DerefOf (Local2)
        Return ((Local3 << 8) | Local4)
    }
    Method (OTHR, 0) { Local0 = 0x99 Local1 = 0x98 }
}
