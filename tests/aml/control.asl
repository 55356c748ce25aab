// Control flow: If/ElseIf/Else, While with Break and Continue, nested
// loops, Switch/Case (compiled to While/If by iasl), Return from loops.
// expect: int 0x2d
DefinitionBlock ("", "DSDT", 2, "CAIRN", "CONTROL", 1)
{
    Method (CLS, 1)
    {
        Switch (ToInteger (Arg0))
        {
            Case (1) { Return (10) }
            Case (Package () { 2, 3 }) { Return (20) }
            Default { Return (30) }
        }
        Return (0)
    }
    Method (FIND, 0)
    {
        Local0 = 0
        While (1) { If (Local0 == 7) { Return (Local0) } Local0++ }
        Return (0xFF)
    }
    Method (MAIN, 0)
    {
        Local0 = 0
        Local1 = 0
        While (Local0 < 10)
        {
            Local0++
            If (Local0 == 3) { Continue }
            If (Local0 == 9) { Break }
            Local1 += Local0          // 1+2+4+5+6+7+8 = 33
        }
        If (Local1 != 33) { Return (1) }
        If (CLS (1) != 10 || CLS (3) != 20 || CLS (5) != 30) { Return (2) }
        If (FIND () != 7) { Return (3) }
        Local2 = 0
        For (Local3 = 0, Local3 < 3, Local3++)
        {
            For (Local4 = 0, Local4 < 4, Local4++) { Local2++ }
        }
        If (Local2 != 12) { Return (4) }
        If (Local1 > 100) { Return (5) } ElseIf (Local1 > 30) { Local1 += 12 } Else { Return (6) }
        Return (Local1)
    }
}
