// Strings and buffers: Concatenate, Mid, ToString, ToHexString,
// ToDecimalString, ToBuffer, ToInteger, SizeOf, comparisons, Index on
// buffers and strings.
// expect: str "ABC-42-000000000000002A"
DefinitionBlock ("", "DSDT", 2, "CAIRN", "STRINGS", 1)
{
    Name (BUF0, Buffer () { 1, 2, 3, 4 })
    Method (MAIN, 0)
    {
        Local0 = Concatenate ("AB", "C")
        If (SizeOf (Local0) != 3) { Return ("size") }
        If (Mid ("xxABCxx", 2, 3) != "ABC") { Return ("mid") }
        Local1 = ToDecimalString (42)
        If (Local1 != "42") { Return ("dec") }
        If (ToHexString (42) != "000000000000002A") { Return ("hex") }
        If (ToInteger ("0x10") != 16) { Return ("toint hex") }
        If (ToInteger ("123") != 123) { Return ("toint dec") }
        If (ToString (Buffer () { 0x41, 0x42, 0, 0x43 }, Ones) != "AB") { Return ("tostring") }
        Local2 = ToBuffer ("AB")
        If (SizeOf (Local2) != 3) { Return ("tobuffer") }
        If (DerefOf (Index (BUF0, 2)) != 3) { Return ("index buf") }
        BUF0 [1] = 0x55
        If (DerefOf (BUF0 [1]) != 0x55) { Return ("store index buf") }
        If (DerefOf (Index ("ABC", 1)) != 0x42) { Return ("index str") }
        If (!("ABC" < "ABD")) { Return ("cmp lt") }
        If ("ABC" != "ABC") { Return ("cmp eq") }
        If (Buffer () { 1, 2 } != Buffer () { 1, 2 }) { Return ("cmp buf") }
        Local3 = Concatenate (Buffer () { 1 }, Buffer () { 2, 3 })
        If (SizeOf (Local3) != 3) { Return ("concat buf") }
        Local4 = Concatenate (1, 2)          // two 64-bit integers: 16 bytes
        If (SizeOf (Local4) != 16) { Return ("concat int") }
        Local5 = Mid (Buffer () { 9, 8, 7, 6 }, 1, 2)
        If (DerefOf (Local5 [0]) != 8) { Return ("mid buf") }
        Return (Concatenate (Concatenate (Local0, "-"), Concatenate (Local1, Concatenate ("-", ToHexString (42)))))
    }
}
