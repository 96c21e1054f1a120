#pragma once

#include <QByteArray>
#include <QVariant>
#include <QVariantList>

struct sqlite3_stmt;

namespace cachescope {

/// The compact binary form in which rows travel through the cache: for each column a type
/// byte, then 8 bytes for an integer or a real, a 32-bit length and the bytes for text or a
/// blob, nothing for NULL. No JSON or QVariant on the hot path.
namespace RowCodec {

/// Appends the columns [firstColumn, columnCount) of the statement's current row to a new
/// encoded row; \a bytesRead receives the bytes of column data that were read (text and blob
/// lengths, 8 for each integer or real, 0 for NULL).
QByteArray encode(sqlite3_stmt *stmt, int firstColumn, std::uint64_t &bytesRead);

/// Decodes an encoded row into values (for display and tests, not the hot path). Returns an
/// empty list for malformed input.
QVariantList decode(const QByteArray &row);

} // namespace RowCodec
} // namespace cachescope
