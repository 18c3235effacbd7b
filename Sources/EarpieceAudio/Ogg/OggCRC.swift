/// The CRC-32 of Ogg pages (RFC 3533 §6): polynomial 0x04C11DB7, not reflected, initial value 0, no final xor.
enum OggCRC {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 {
            value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1
        }
        return value
    }

    /// The checksum of `bytes`, continuing from `crc`.
    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        var crc = crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc << 8) ^ table[Int((crc >> 24) ^ UInt32(byte))]
            }
        }
        return crc
    }

    /// The checksum of a whole page whose CRC field (bytes 22–25) is taken as zero.
    static func pageChecksum(_ page: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc = checksum(UnsafeBufferPointer(rebasing: page[0..<22]))
        for _ in 0..<4 {
            crc = (crc << 8) ^ table[Int(crc >> 24)]
        }
        return checksum(UnsafeBufferPointer(rebasing: page[26...]), continuing: crc)
    }
}
