// Conversion and resource operators with run-time operands (iasl folds
// constant ones): ToBuffer, ToDecimalString, ToHexString (ACPI 6.5
// sections 19.6.137-19.6.139: integers as 16 hex digits in a 64-bit
// table, buffers as "0x01,0xAB" / "1,171", strings unchanged) and
// ConcatenateResTemplate (19.6.13: the first template's End Tag dropped,
// one End Tag with checksum 0 after the second). acpiexec 20200925 gives
// the same results.
// expect: str "1234-00000000000004D2-0x01,0xAB-1,171"
DefinitionBlock ("", "DSDT", 2, "CAIRN", "OPSCONV", 1)
{
    Name (INT0, 1234)
    Name (BUF0, Buffer () { 0x01, 0xab })
    Name (STR0, "AB")
    Name (RT00, ResourceTemplate () { IO (Decode16, 0x3f8, 0x3f8, 1, 8) })
    Name (RT01, ResourceTemplate () { IRQNoFlags () { 4 } })
    Method (MAIN, 0)
    {
        Local0 = INT0
        // ToBuffer: an Integer gives its 8 bytes, a String its bytes and
        // NUL, a Buffer itself
        Local1 = ToBuffer (Local0)
        If (SizeOf (Local1) != 8) { Return ("tobuf int size") }
        If (DerefOf (Local1 [0]) != 0xd2 || DerefOf (Local1 [1]) != 4) { Return ("tobuf int") }
        ToBuffer (STR0, Local2)
        If (SizeOf (Local2) != 3 || DerefOf (Local2 [1]) != 0x42 || DerefOf (Local2 [2]) != 0) { Return ("tobuf str") }
        If (ToBuffer (BUF0) != Buffer () { 1, 0xab }) { Return ("tobuf buf") }
        // ToDecimalString / ToHexString
        Local3 = ToDecimalString (Local0)
        If (ObjectType (Local3) != 2) { Return ("dec type") }
        ToHexString (Local0, Local4)
        Local5 = ToHexString (BUF0)
        ToDecimalString (BUF0, Local6)
        If (ToHexString (STR0) != "AB" || ToDecimalString (STR0) != "AB") { Return ("str unchanged") }
        Local7 = Ones
        If (ToDecimalString (Local7) != "18446744073709551615") { Return ("dec ones") }
        // ConcatenateResTemplate: IO (8 bytes) + IRQNoFlags (3) + End Tag
        Local7 = ConcatenateResTemplate (RT00, RT01)
        If (SizeOf (Local7) != 13) { Return ("concatres size") }
        If (DerefOf (Local7 [0]) != 0x47 || DerefOf (Local7 [8]) != 0x22) { Return ("concatres tags") }
        If (DerefOf (Local7 [11]) != 0x79 || DerefOf (Local7 [12]) != 0) { Return ("concatres end") }
        ConcatenateResTemplate (RT01, RT01, Local2)
        If (SizeOf (Local2) != 8 || DerefOf (Local2 [3]) != 0x22) { Return ("concatres target") }
        Return (Concatenate (Concatenate (Concatenate (Local3, "-"), Concatenate (Local4, "-")),
                             Concatenate (Concatenate (Local5, "-"), Local6)))
    }
}
