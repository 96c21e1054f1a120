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
} // namespace

QByteArray encode(sqlite3_stmt *stmt, int firstColumn, std::uint64_t &bytesRead)
{
    const int columns = sqlite3_column_count(stmt);
    QByteArray out;
    out.reserve(64 * (columns - firstColumn));
    bytesRead = 0;
    for (int c = firstColumn; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
            out.append(char(kInteger));
            appendRaw(out, std::int64_t(sqlite3_column_int64(stmt, c)));
            bytesRead += 8;
            break;
        case SQLITE_FLOAT:
            out.append(char(kReal));
            appendRaw(out, sqlite3_column_double(stmt, c));
            bytesRead += 8;
            break;
        case SQLITE_TEXT: {
            const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, c));
            const int n = sqlite3_column_bytes(stmt, c);
            out.append(char(kText));
            appendRaw(out, std::uint32_t(n));
            out.append(text, n);
            bytesRead += std::uint64_t(n);
            break;
        }
        case SQLITE_BLOB: {
            const auto *data = static_cast<const char *>(sqlite3_column_blob(stmt, c));
            const int n = sqlite3_column_bytes(stmt, c);
            out.append(char(kBlob));
            appendRaw(out, std::uint32_t(n));
            out.append(data, n);
            bytesRead += std::uint64_t(n);
            break;
        }
        default:
            out.append(char(kNull));
            break;
        }
    }
    return out;
}

QVariantList decode(const QByteArray &row)
{
    QVariantList values;
    const char *p = row.constData();
    const char *end = p + row.size();
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
    return values;
}

} // namespace cachescope::RowCodec
