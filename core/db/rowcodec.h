#pragma once

#include "core/db/columnset.h"

#include <QByteArray>
#include <QVariant>
#include <QVariantList>

#include <cstdint>
#include <optional>

struct sqlite3_stmt;

/// The compact binary form in which rows travel through the cache. A header names the table
/// columns the row holds (a 16-bit word count, then the ColumnSet's 64-bit words); then, for each
/// of those columns in table order, a type byte and 8 bytes for an integer or a real, a 32-bit
/// length and the bytes for text or a blob, nothing for NULL. No JSON or QVariant on the hot path.
namespace cachescope::RowCodec {

/// Encodes every column of the statement's current row; the statement must select exactly the
/// columns of \a columns, in table order. \a bytesRead receives the bytes SQLite handed over:
/// the sum of sqlite3_column_bytes() of the columns (numbers count as their text form, NULL as 0).
QByteArray encode(sqlite3_stmt *stmt, const ColumnSet &columns, std::uint64_t &bytesRead);
/// Reads every column of the statement's current row exactly as encode() does, and keeps
/// nothing: what a reader with no use for the encoded row pays. Returns the bytes SQLite handed
/// over, counted as encode() counts them.
std::uint64_t consume(sqlite3_stmt *stmt);

/// One column's value as a source other than SQLite hands it over (text and blobs by pointer,
/// valid while encodeFields() runs).
struct Field {
    enum class Type : std::uint8_t { Null, Integer, Real, Text, Blob };
    Type type = Type::Null;
    std::int64_t integer = 0;
    double real = 0.0;
    const char *data = nullptr;
    std::uint32_t size = 0;
};
/// Encodes \a count values, the columns of \a columns in table order, as encode() does.
QByteArray encodeFields(const ColumnSet &columns, const Field *fields, int count);

/// The columns an encoded row holds (empty for malformed input).
ColumnSet columnsOf(const QByteArray &row);
/// True when the row holds every column of \a wanted. Cheap: reads the header only.
bool covers(const QByteArray &row, const ColumnSet &wanted);
/// The row cut down to the columns of \a wanted (which it must cover); the row itself when it
/// holds exactly those. Returns an empty array for malformed input or a row that does not cover.
QByteArray narrow(const QByteArray &row, const ColumnSet &wanted);

/// The integer in column \a column (table order) of an encoded row; nullopt when the row does not
/// hold that column, holds NULL or another type there, or is malformed. Walks the values before
/// it: cheap for a few columns, not free for many (the row version of a stale-read check).
std::optional<std::int64_t> integerAt(const QByteArray &row, int column);
/// Replaces the integer in column \a column of \a row with \a value (same size: in place); false
/// when the row holds no integer there.
bool setIntegerAt(QByteArray &row, int column, std::int64_t value);

/// Decodes an encoded row into the values of its columns, in table order (for display and
/// tests, not the hot path). Returns an empty list for malformed input.
QVariantList decode(const QByteArray &row);

} // namespace cachescope::RowCodec
