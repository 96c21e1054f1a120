#pragma once

#include <QString>
#include <QStringList>

namespace cachescope {

class Database;

/// A table's columns as the database itself reports them (PRAGMA table_info).
struct TableSchema {
    QString table; ///< the table's name
    QString keyColumn; ///< its integer key column
    QStringList columns; ///< column names in table order
    QStringList types; ///< declared types, same order ("" when none)
    int keyIndex = -1; ///< position of keyColumn in columns

    /// Reads the schema of \a table; throws DbError naming the table (and listing the tables
    /// that exist) when it is missing, or the key column (listing the columns) when that is.
    static TableSchema read(Database &db, const QString &table, const QString &keyColumn);
};

} // namespace cachescope
