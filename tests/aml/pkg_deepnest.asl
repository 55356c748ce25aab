// A package stored into its own element in a loop nests one level deeper
// per store (past 32 levels a copy shares the nested packages): 200 000
// stores made a chain 200 000 packages deep, and releasing it recursed once
// per level: a stack overflow (ASan) at aml_destroy. Found while checking
// the fix of pkg_selfcopy.asl (issue 14 third campaign). Objects are now
// freed from a list, without recursion. Host-only (args): the loop runs
// 3.2 million ops, past the default loop timeout under emulation. 150 000
// stores since the evaluation step budget (about 84 steps per store: the
// 32-level copy; 200 000 overran 2^24 steps).
// expect: int 3
// args: --loop-timeout 100
DefinitionBlock ("", "DSDT", 2, "CAIRN", "PKGDEEP", 1)
{
    Name (PKG0, Package (3) {1, "x", 2})
    Method (MAIN, 0)
    {
        Local1 = 0
        While (Local1 < 150000)
        {
            PKG0 [0] = PKG0
            Local1++
        }
        Return (SizeOf (PKG0))
    }
}
