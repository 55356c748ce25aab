// SPDX-License-Identifier: MIT
// Canary (must FAIL): If (Method (...) != want) with a callee returning the wrong value.
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
        If (VAL (7) != 8) { Return (2) }
        Return (0)
    }
}
