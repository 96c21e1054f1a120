#pragma once

#include "core/load/datasource.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cachescope {

/// A warm-up source that cannot be used (a keys file, an ORDER BY), with a message naming it.
class WarmupError : public std::runtime_error {
public:
    explicit WarmupError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromUtf8(what()); }
};

/// A keys file: one integer key per line; blank lines and lines starting with '#' are skipped.
struct KeysFile {
    std::vector<std::int64_t> keys; ///< in file order, duplicates dropped
    std::int64_t lines = 0; ///< lines read
    std::int64_t badLines = 0; ///< lines that held no integer key (left out)
    QStringList badExamples; ///< the first few of them, "line N: 'text'"
};

/// One term of a warm-up query's ORDER BY.
struct OrderTerm {
    QString column; ///< a column of the table, as SQLite names it
    bool descending = false; ///< DESC

    bool operator==(const OrderTerm &) const = default;
};

namespace WarmupSource {
/// Reads a keys file; throws WarmupError when it cannot be read or holds no usable key.
KeysFile readKeysFile(const QString &path);
/// Parses "column [asc|desc], ..." against the table's columns, as projections are checked:
/// every unknown column named (with a did-you-mean for a case slip), the valid ones listed. The
/// text never reaches SQL; the columns SQLite reported do, quoted. Throws WarmupError.
std::vector<OrderTerm> parseOrderBy(const QString &orderBy, const TableSchema &schema);
/// SELECT key FROM table ORDER BY terms LIMIT limit, on a read-only connection of its own.
/// Throws WarmupError for a bad ORDER BY, DbError for the database.
std::vector<std::int64_t> queryKeys(const DataSourceSpec &spec, const QString &orderBy, std::int64_t limit);
} // namespace WarmupSource

} // namespace cachescope
