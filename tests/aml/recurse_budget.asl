// A method calling itself twice per level runs 2^depth statements: only
// the nesting depth was bounded, so depth 40 ran for ever (2^40 calls). Each
// top-level evaluation (a method the host evaluates; one top-level
// statement of a table) has a step budget (aml_options.max_steps, 2^24 by
// default): the runaway is aborted with one error naming it, its table
// statement ends, and the rest of the table still runs. The same runaway
// in _INI (an evaluation the host starts) is aborted too, and the walk
// goes on. Then \MAIN, an evaluation with a fresh budget, does real work
// of many steps (a 2^12-call tree, a loop) to the end.
// The in-kernel and host unit runners (tools/asl2c.py) give it a budget
// of 2^18 steps: the default 2^24, spent twice (the table's runaway and
// _INI's), cost about 110 s of TCG per kernel test run; amlrun (tools/aml-tests.py)
// keeps the default. MAIN needs between 2^15 and 2^16 steps, so 2^18
// still separates it from the runaways.
// expect: int 0x7
// steps: 0x40000
// errors: 2
DefinitionBlock ("", "DSDT", 2, "CAIRN", "RECBUDG", 1)
{
    Name (RSLT, 0)
    Name (CNT, 0)
    Method (TREE, 1)
    {
        CNT++
        If (Arg0 == 0) { Return (1) }
        Return (TREE (Arg0 - 1) + TREE (Arg0 - 1))
    }
    // Table-level code: a depth-40 tree, 2^40 calls.
    RSLT = TREE (40)
    RSLT = 1
    // An evaluation of its own (the _STA/_INI walk): the same runaway.
    Device (DEV0)
    {
        Method (_INI)
        {
            RSLT |= 4
            TREE (40)
            RSLT |= 8
        }
    }
    Method (MAIN, 0)
    {
        If (RSLT != 5) { Return (0xbad1) }
        CNT = 0
        If (TREE (12) != 4096) { Return (0xbad2) }
        If (CNT != 8191) { Return (0xbad3) }
        Local0 = 0
        While (Local0 < 10000) { Local0++ }
        Return (RSLT | 2)
    }
}
