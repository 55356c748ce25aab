// Buffer-access fields (ACPI 6.5 5.5.2.4): each read or write hands the
// whole protocol buffer to the space's handler (amlrun's simulated one
// answers status 0, length = data bytes, and returns the data last
// written to the same address and connection). SMBus: 34 bytes, a write's
// response is the Store's result (Store (Store (BUFF, FLD), BUFF)); IPMI:
// 66; GenericSerialBus: 2 + the protocol's data (AttribBytes (5): 7,
// AttribWord: 4), separate connections are separate devices; PCC: the
// field's own bytes; a BankField selects its bank first.
// expect: int 0x600d
DefinitionBlock ("", "DSDT", 2, "CAIRN", "BUFACC", 1)
{
    OperationRegion (SMB0, SMBus, 0x4200, 0x100)
    Field (SMB0, BufferAcc, NoLock, Preserve)
    {
        Offset (0x10),
        AccessAs (BufferAcc, AttribByte),
        CMD0, 8,
        AccessAs (BufferAcc, AttribBlock),
        CMD1, 8,
    }
    OperationRegion (BKIO, SystemIO, 0x300, 1)
    Field (BKIO, ByteAcc, NoLock, Preserve) { BNKR, 8 }
    BankField (SMB0, BNKR, 2, BufferAcc, NoLock, Preserve)
    {
        Offset (0x20),
        AccessAs (BufferAcc, AttribByte),
        BFD0, 8,
    }
    OperationRegion (IPM0, IPMI, 0x0100, 0x100)
    Field (IPM0, BufferAcc, NoLock, Preserve)
    {
        AccessAs (BufferAcc, 0x01),
        IPM1, 8,
    }
    OperationRegion (GSB0, GenericSerialBus, 0, 0x100)
    Field (GSB0, BufferAcc, NoLock, Preserve)
    {
        Connection (I2cSerialBusV2 (0x50, ControllerInitiated, 400000,
            AddressingMode7Bit, "\\I2C0", 0, ResourceConsumer, , Exclusive, )),
        AccessAs (BufferAcc, AttribBytes (5)),
        REG0, 8,
        AccessAs (BufferAcc, AttribWord),
        REG1, 8,
    }
    Field (GSB0, BufferAcc, NoLock, Preserve)
    {
        Connection (I2cSerialBusV2 (0x51, ControllerInitiated, 400000,
            AddressingMode7Bit, "\\I2C0", 0, ResourceConsumer, , Exclusive, )),
        AccessAs (BufferAcc, AttribBytes (5)),
        REG2, 8,
    }
    OperationRegion (PCC0, PCC, 0x02, 0x20)
    Field (PCC0, ByteAcc, NoLock, Preserve)
    {
        PSIG, 32,
        PCMD, 16,
    }
    Name (BUFF, Buffer (34) {})
    Method (MAIN, 0)
    {
        BUFF = Buffer () { 0, 1, 0x5a }
        Local0 = Store (BUFF, CMD0)
        If (SizeOf (Local0) != 34) { Return (1) }
        If (DerefOf (Local0 [1]) != 32) { Return (2) }
        Local1 = CMD0
        If (SizeOf (Local1) != 34) { Return (3) }
        If (DerefOf (Local1 [2]) != 0x5a) { Return (4) }
        BUFF [1] = 0x77
        Store (Store (BUFF, CMD1), BUFF)
        If (DerefOf (BUFF [1]) != 32) { Return (5) }
        If (DerefOf (CMD0 [2]) != 0x5a) { Return (6) }
        If (SizeOf (IPM1) != 66) { Return (7) }
        Local2 = REG0
        If (SizeOf (Local2) != 7) { Return (8) }
        If (DerefOf (Local2 [1]) != 5) { Return (9) }
        REG0 = Buffer () { 0, 5, 1, 2, 3, 4, 5 }
        If (DerefOf (REG0 [6]) != 5) { Return (10) }
        If (DerefOf (REG2 [6]) != 0) { Return (11) }
        If (SizeOf (REG1) != 4) { Return (12) }
        PSIG = 0x12345678
        If (SizeOf (PSIG) != 4) { Return (13) }
        If (DerefOf (PSIG [3]) != 0x12) { Return (14) }
        If (SizeOf (PCMD) != 2) { Return (15) }
        BNKR = 0
        If (SizeOf (BFD0) != 34) { Return (16) }
        If (BNKR != 2) { Return (17) }      // the bank was selected
        Return (0x600d)
    }
}
