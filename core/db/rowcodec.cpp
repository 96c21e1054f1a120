#include "core/db/rowcodec.h"

#include <sqlite3.h>

#include <cstring>

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
} // namespace

QByteArray encode(sqlite3_stmt *stmt, const ColumnSet &columns, std::uint64_t &bytesRead)
{
    const int count = sqlite3_column_count(stmt);
    QByteArray out;
    out.reserve(2 + 8 * qsizetype(columns.words().size()) + 48 * count);
    appendHeader(out, columns);
    bytesRead = 0;
    for (int c = 0; c < count; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
            out.append(char(kInteger));
            appendRaw(out, std::int64_t(sqlite3_column_int64(stmt, c)));
            break;
        case SQLITE_FLOAT:
            out.append(char(kReal));
            appendRaw(out, sqlite3_column_double(stmt, c));
            break;
        case SQLITE_TEXT: {
            const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, c));
            const int n = sqlite3_column_bytes(stmt, c);
            out.append(char(kText));
            appendRaw(out, std::uint32_t(n));
            out.append(text, n);
            break;
        }
        case SQLITE_BLOB: {
            const auto *data = static_cast<const char *>(sqlite3_column_blob(stmt, c));
            const int n = sqlite3_column_bytes(stmt, c);
            out.append(char(kBlob));
            appendRaw(out, std::uint32_t(n));
            out.append(data, n);
            break;
        }
        default:
            out.append(char(kNull));
            break;
        }
        // After the value was taken in its own type: for numbers this is their text length, what a
        // text wire protocol would carry; SQLite keeps the number alongside.
        bytesRead += std::uint64_t(sqlite3_column_bytes(stmt, c));
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
