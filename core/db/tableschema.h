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
    /// The key may be `rowid` (or `oid`, `_rowid_`) of a table that has one and no column of that
    /// name: it is then read as a last column, of type INTEGER.
    static TableSchema read(Database &db, const QString &table, const QString &keyColumn);
    /// Whether \a name is one of SQLite's names for the rowid.
    static bool isRowidName(const QString &name);
    /// Whether \a table (which exists) has a rowid: not a view, not WITHOUT ROWID.
    static bool hasRowid(Database &db, const QString &table);
};

/// A table of a database as a user picks one: its columns and the keys CacheScope can read it by.
struct TableChoice {
    QString name; ///< the table
    QStringList columns; ///< in table order
    /// Integer columns that can serve as db.key, best first (the INTEGER PRIMARY KEY, then other
    /// integer-typed columns), and `rowid` when the table has one that no column aliases.
    QStringList keys;
    /// Why none can, when keys is empty (a WITHOUT ROWID table keyed by text, a view).
    QString noKeyReason;
};

/// Every table (and view) of \a db, by name.
QList<TableChoice> listTables(Database &db);

} // namespace cachescope
