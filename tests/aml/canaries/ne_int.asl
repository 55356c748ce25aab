// SPDX-License-Identifier: MIT
// Canary (must FAIL): If (x != want) Return (n) with x a wrong Integer, the guard of most ASL tests.
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
        Local0 = 41
        If (Local0 != 42) { Return (1) }
        Return (0)
    }
}
