#include "core/db/rowcodec.h"

#include <sqlite3.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace cachescope::RowCodec {

namespace {
enum Tag : char { kNull = 0, kInteger = 1, kReal = 2, kText = 3, kBlob = 4 };

template<typename T> void appendRaw(QByteArray &out, T value)
{
    out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

template<typename T> bool readRaw(const char *&p, const char *end, T &value)
{
    if (end - p < qsizetype(sizeof value))
        return false;
    std::memcpy(&value, p, sizeof value);
    p += sizeof value;
    return true;
}

/// Length of the decimal text of \a v: what sqlite3_column_bytes() returns for an integer,
/// without making SQLite convert it.
std::uint64_t decimalLength(std::int64_t v)
{
    std::uint64_t n = v < 0 ? 2 : 1;
    std::uint64_t magnitude = v < 0 ? 0 - std::uint64_t(v) : std::uint64_t(v);
    while (magnitude >= 10) {
        magnitude /= 10;
        ++n;
    }
    return n;
}

/// Length of a real's text as SQLite renders it ("%!.15g": 15 significant digits, always a
/// decimal point, "0.0" for zero), computed with std::to_chars: asking SQLite for it costs
/// ~0.4 µs per value (it converts the column to text), ~10 % of a whole point read. SQLite 3.40
/// rounds with long doubles, so on near-ties its last digit can differ: 20 values in 600,000
/// random doubles came out one byte apart in a check; two-decimal prices never do.
std::uint64_t textLength(double v)
{
    if (v == 0.0)
        return 3; // "0.0", also for -0.0
    if (std::isinf(v))
        return v < 0 ? 4 : 3; // "-Inf", "Inf"
    // Prices and rates first: a value that is the double nearest to k/100 with |v| < 1e9 prints
    // as exactly those digits (the double is within 1e-16 of k/100, far inside the 15th digit's
    // rounding), trailing zeros dropped and the point kept ("19.99", "20.5", "3.0"). Four times
    // cheaper than formatting: the demo row has three such reals.
    if (std::fabs(v) < 1e9) {
        const double hundredths = std::nearbyint(v * 100.0);
        if (hundredths / 100.0 == v) {
            const auto scaled = std::int64_t(hundredths);
            const std::uint64_t magnitude = scaled < 0 ? 0 - std::uint64_t(scaled) : std::uint64_t(scaled);
            const std::uint64_t fraction = magnitude % 100;
            const std::uint64_t fractionDigits = fraction == 0 || fraction % 10 == 0 ? 1 : 2;
            return (scaled < 0 ? 1 : 0) + decimalLength(std::int64_t(magnitude / 100)) + 1 + fractionDigits;
        }
    }
    char buffer[40];
    const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::general, 15);
    const auto n = std::uint64_t(r.ptr - buffer);
    // SQLite's "!" flag keeps a decimal point: "12.0", "1.0e+20".
    return std::memchr(buffer, '.', n) ? n : n + 2;
}

void appendHeader(QByteArray &out, const ColumnSet &columns)
{
    appendRaw(out, std::uint16_t(columns.words().size()));
    for (std::uint64_t w : columns.words())
        appendRaw(out, w);
}

/// Points \a p past the header; false when the row is too short for it.
bool skipHeader(const char *&p, const char *end, std::uint16_t &words)
{
    if (!readRaw(p, end, words) || end - p < qsizetype(words) * 8)
        return false;
    p += qsizetype(words) * 8;
    return true;
}

/// The size of the encoded value starting at \a p (tag included); -1 when malformed.
qsizetype valueSize(const char *p, const char *end)
{
    if (p >= end)
        return -1;
    switch (*p) {
    case kNull:
        return 1;
    case kInteger:
    case kReal:
        return end - p >= 9 ? 9 : -1;
    case kText:
    case kBlob: {
        std::uint32_t n = 0;
        const char *q = p + 1;
        if (!readRaw(q, end, n) || end - q < qsizetype(n))
            return -1;
        return 5 + qsizetype(n);
    }
    default:
        return -1;
    }
}

// One column of the current row as SQLite hands it over (text and blobs by pointer).
struct Value {
    int type;
    std::int64_t integer;
    double real;
    const char *data;
    std::uint32_t size;
};

// Reads column \a c into \a v, adds the bytes SQLite handed over to \a bytesRead; returns the
// size of its encoded form.
qsizetype readColumn(sqlite3_stmt *stmt, int c, Value &v, std::uint64_t &bytesRead)
{
    v.type = sqlite3_column_type(stmt, c);
    switch (v.type) {
    case SQLITE_INTEGER:
        v.integer = std::int64_t(sqlite3_column_int64(stmt, c));
        bytesRead += decimalLength(v.integer);
        return 1 + 8;
    case SQLITE_FLOAT:
        v.real = sqlite3_column_double(stmt, c);
        bytesRead += textLength(v.real);
        return 1 + 8;
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        // Text first, then its length (the order SQLite documents); a blob needs no conversion.
        v.data = v.type == SQLITE_TEXT ? reinterpret_cast<const char *>(sqlite3_column_text(stmt, c))
                                       : static_cast<const char *>(sqlite3_column_blob(stmt, c));
        v.size = std::uint32_t(sqlite3_column_bytes(stmt, c));
        bytesRead += v.size;
        return 1 + 4 + qsizetype(v.size);
    default:
        return 1;
    }
}

} // namespace

std::uint64_t consume(sqlite3_stmt *stmt)
{
    std::uint64_t bytesRead = 0;
    const int count = sqlite3_column_count(stmt);
    for (int c = 0; c < count; ++c) {
        Value v;
        readColumn(stmt, c, v, bytesRead);
    }
    return bytesRead;
}

QByteArray encode(sqlite3_stmt *stmt, const ColumnSet &columns, std::uint64_t &bytesRead)
{
    // Two passes: read every column once (text and blobs by pointer, valid until the statement
    // steps or resets), then write the row into a buffer of its exact size. One append per value
    // cost ~2 µs for the demo's 24-column row — a sixth of the point read it encodes.
    const int count = sqlite3_column_count(stmt);
    constexpr int kInline = 64;
    Value inlineValues[kInline];
    std::vector<Value> spill;
    Value *values = inlineValues;
    if (count > kInline) {
        spill.resize(std::size_t(count));
        values = spill.data();
    }
    const std::vector<std::uint64_t> &words = columns.words();
    auto size = qsizetype(sizeof(std::uint16_t)) + 8 * qsizetype(words.size());
    bytesRead = 0;
    for (int c = 0; c < count; ++c)
        size += readColumn(stmt, c, values[c], bytesRead);
    QByteArray out(size, Qt::Uninitialized);
    char *p = out.data();
    const auto put = [&p](const void *data, std::size_t n) {
        if (n > 0)
            std::memcpy(p, data, n);
        p += n;
    };
    const auto words16 = std::uint16_t(words.size());
    put(&words16, sizeof words16);
    put(words.data(), 8 * words.size());
    for (int c = 0; c < count; ++c) {
        const Value &v = values[c];
        switch (v.type) {
        case SQLITE_INTEGER:
            *p++ = char(kInteger);
            put(&v.integer, 8);
            break;
        case SQLITE_FLOAT:
            *p++ = char(kReal);
            put(&v.real, 8);
            break;
        case SQLITE_TEXT:
        case SQLITE_BLOB:
            *p++ = char(v.type == SQLITE_TEXT ? kText : kBlob);
            put(&v.size, 4);
            put(v.data, v.size);
            break;
        default:
            *p++ = char(kNull);
            break;
        }
    }
    return out;
}

QByteArray encodeFields(const ColumnSet &columns, const Field *fields, int count)
{
    const std::vector<std::uint64_t> &words = columns.words();
    auto size = qsizetype(sizeof(std::uint16_t)) + 8 * qsizetype(words.size());
    for (int c = 0; c < count; ++c) {
        switch (fields[c].type) {
        case Field::Type::Null:
            size += 1;
            break;
        case Field::Type::Integer:
        case Field::Type::Real:
            size += 9;
            break;
        case Field::Type::Text:
        case Field::Type::Blob:
            size += 5 + qsizetype(fields[c].size);
            break;
        }
    }
    QByteArray out(size, Qt::Uninitialized);
    char *p = out.data();
    const auto put = [&p](const void *data, std::size_t n) {
        if (n > 0)
            std::memcpy(p, data, n);
        p += n;
    };
    const auto words16 = std::uint16_t(words.size());
    put(&words16, sizeof words16);
    put(words.data(), 8 * words.size());
    for (int c = 0; c < count; ++c) {
        const Field &f = fields[c];
        switch (f.type) {
        case Field::Type::Null:
            *p++ = char(kNull);
            break;
        case Field::Type::Integer:
            *p++ = char(kInteger);
            put(&f.integer, 8);
            break;
        case Field::Type::Real:
            *p++ = char(kReal);
            put(&f.real, 8);
            break;
        case Field::Type::Text:
        case Field::Type::Blob:
            *p++ = char(f.type == Field::Type::Text ? kText : kBlob);
            put(&f.size, 4);
            put(f.data, f.size);
            break;
        }
    }
    return out;
}

ColumnSet columnsOf(const QByteArray &row)
{
    const char *p = row.constData();
    const char *end = p + row.size();
    std::uint16_t words = 0;
    if (!readRaw(p, end, words) || end - p < qsizetype(words) * 8)
        return {};
    std::vector<std::uint64_t> w(words);
    std::memcpy(w.data(), p, std::size_t(words) * 8);
    return ColumnSet::fromWords(std::move(w));
}

bool covers(const QByteArray &row, const ColumnSet &wanted)
{
    const char *p = row.constData();
    const char *end = p + row.size();
    std::uint16_t words = 0;
    if (!readRaw(p, end, words) || end - p < qsizetype(words) * 8)
        return false;
    const std::vector<std::uint64_t> &want = wanted.words();
    for (std::size_t i = 0; i < want.size(); ++i) {
        std::uint64_t have = 0;
        if (i < words)
            std::memcpy(&have, p + i * 8, 8);
        if ((want[i] & ~have) != 0)
            return false;
    }
    return true;
}

QByteArray narrow(const QByteArray &row, const ColumnSet &wanted)
{
    const ColumnSet have = columnsOf(row);
    if (have == wanted)
        return row;
    if (have.isEmpty() || !have.containsAll(wanted))
        return {};
    const char *p = row.constData();
    const char *end = p + row.size();
    std::uint16_t words = 0;
    if (!skipHeader(p, end, words))
        return {};
    QByteArray out;
    out.reserve(row.size());
    appendHeader(out, wanted);
    for (int column : have.columns()) {
        const qsizetype n = valueSize(p, end);
        if (n < 0)
            return {};
        if (wanted.contains(column))
            out.append(p, n);
        p += n;
    }
    return out;
}

namespace {
// Where the value of \a column starts in \a row (its tag), or null.
const char *valueOf(const QByteArray &row, int column)
{
    const char *p = row.constData();
    const char *end = p + row.size();
    std::uint16_t words = 0;
    if (column < 0 || !readRaw(p, end, words) || end - p < qsizetype(words) * 8 || column / 64 >= words)
        return nullptr;
    // The row's columns before this one: the set bits of the header below it.
    int before = 0;
    for (int w = 0; w <= column / 64; ++w) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, p + qsizetype(w) * 8, 8);
        if (w == column / 64) {
            const std::uint64_t self = std::uint64_t(1) << (column % 64);
            if ((bits & self) == 0)
                return nullptr;
            bits &= self - 1;
        }
        before += std::popcount(bits);
    }
    p += qsizetype(words) * 8;
    for (int i = 0; i < before; ++i) {
        const qsizetype n = valueSize(p, end);
        if (n < 0)
            return nullptr;
        p += n;
    }
    return p < end ? p : nullptr;
}
} // namespace

std::optional<std::int64_t> integerAt(const QByteArray &row, int column)
{
    const char *p = valueOf(row, column);
    if (!p || *p != kInteger || row.constData() + row.size() - p < 9)
        return std::nullopt;
    std::int64_t v = 0;
    std::memcpy(&v, p + 1, sizeof v);
    return v;
}

bool setIntegerAt(QByteArray &row, int column, std::int64_t value)
{
    const char *p = valueOf(row, column);
    if (!p || *p != kInteger || row.constData() + row.size() - p < 9)
        return false;
    const qsizetype at = p + 1 - row.constData();
    std::memcpy(row.data() + at, &value, sizeof value);
    return true;
}

QVariantList decode(const QByteArray &row)
{
    QVariantList values;
    const char *p = row.constData();
    const char *end = p + row.size();
    std::uint16_t words = 0;
    if (!skipHeader(p, end, words))
        return {};
    while (p < end) {
        const char tag = *p++;
        switch (tag) {
        case kNull:
            values.append(QVariant());
            break;
        case kInteger: {
            std::int64_t v = 0;
            if (!readRaw(p, end, v))
                return {};
            values.append(QVariant::fromValue<qint64>(v));
            break;
        }
        case kReal: {
            double v = 0;
            if (!readRaw(p, end, v))
                return {};
            values.append(v);
            break;
        }
        case kText:
        case kBlob: {
            std::uint32_t n = 0;
            if (!readRaw(p, end, n) || end - p < qsizetype(n))
                return {};
            if (tag == kText)
                values.append(QString::fromUtf8(p, qsizetype(n)));
            else
                values.append(QByteArray(p, qsizetype(n)));
            p += n;
            break;
        }
        default:
            return {};
        }
    }
    if (values.size() != columnsOf(row).count())
        return {}; // the header and the values disagree
    return values;
}

} // namespace cachescope::RowCodec
