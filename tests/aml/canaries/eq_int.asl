// SPDX-License-Identifier: MIT
// Canary (must FAIL): If (x == bad) Return (n): the LEqual form of the guard.
// tools/aml-tests.py passes it only if amlrun and acpiexec both return
// something other than the expectation, i.e. the guard fired.
// expect: int 0
DefinitionBlock ("", "DSDT", 2, "CAIRN", "CANARY", 1)
{
    Name (STR0, "abc")
    Name (BUF0, Buffer () { 1, 2, 3 })
    Method (VAL, 1) { Return (Arg0) }
    Method (MAIN, 0)
    {
        Local0 = 5
        If (Local0 == 5) { Return (5) }
        Return (0)
    }
}
