#include "core/db/tableschema.h"

#include "core/db/database.h"

#include <sqlite3.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cachescope {

TableSchema TableSchema::read(Database &db, const QString &table, const QString &keyColumn)
{
    TableSchema schema;
    schema.table = table;
    schema.keyColumn = keyColumn;
    {
        // The table name is a bound parameter here, never SQL text.
        Statement columns = db.prepare(u"SELECT name, type FROM pragma_table_info(?1) ORDER BY cid"_s);
        columns.bind(1, table);
        while (columns.step()) {
            schema.columns.append(columns.columnText(0));
            schema.types.append(columns.columnText(1));
        }
    }
    if (schema.columns.isEmpty()) {
        QStringList tables;
        Statement list = db.prepare(
            u"SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name"_s);
        while (list.step())
            tables.append(list.columnText(0));
        throw DbError(SQLITE_ERROR,
            u"table '"_s + table + u"' does not exist in '"_s + db.path() + u"' (tables: "_s
                + (tables.isEmpty() ? u"none"_s : tables.join(u", "_s)) + u')');
    }
    schema.keyIndex = int(schema.columns.indexOf(keyColumn));
    if (schema.keyIndex < 0 && isRowidName(keyColumn) && hasRowid(db, table)) {
        schema.columns.append(keyColumn);
        schema.types.append(u"INTEGER"_s);
        schema.keyIndex = int(schema.columns.size() - 1);
    }
    if (schema.keyIndex < 0) {
        throw DbError(SQLITE_ERROR,
            u"key column '"_s + keyColumn + u"' is not a column of table '"_s + table + u"' (columns: "_s
                + schema.columns.join(u", "_s) + u')');
    }
    return schema;
}

bool TableSchema::isRowidName(const QString &name)
{
    return name.compare(u"rowid"_s, Qt::CaseInsensitive) == 0 || name.compare(u"oid"_s, Qt::CaseInsensitive) == 0
        || name.compare(u"_rowid_"_s, Qt::CaseInsensitive) == 0;
}

bool TableSchema::hasRowid(Database &db, const QString &table)
{
    // A view has none that lasts (SQLite may number its rows, not keep them); a WITHOUT ROWID
    // table has none: selecting it does not prepare.
    {
        Statement type = db.prepare(u"SELECT type FROM sqlite_schema WHERE name = ?1"_s);
        type.bind(1, table);
        if (!type.step() || type.columnText(0) != u"table"_s)
            return false;
    }
    try {
        db.prepare(u"SELECT rowid FROM "_s + Database::quoteIdentifier(table) + u" LIMIT 0"_s);
        return true;
    } catch (const DbError &) {
        return false;
    }
}

QList<TableChoice> listTables(Database &db)
{
    QStringList names;
    {
        Statement list = db.prepare(
            u"SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name"_s);
        while (list.step())
            names.append(list.columnText(0));
    }
    QList<TableChoice> tables;
    for (const QString &name : std::as_const(names)) {
        TableChoice t;
        t.name = name;
        QStringList primary, integers;
        int primaryColumns = 0;
        bool integerPrimaryKey = false; // declared exactly INTEGER: the rowid under its own name
        Statement info = db.prepare(u"SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid"_s);
        info.bind(1, name);
        while (info.step()) {
            const QString column = info.columnText(0);
            const QString type = info.columnText(1).trimmed().toUpper();
            const bool pk = info.columnInt64(2) > 0;
            t.columns.append(column);
            primaryColumns += pk ? 1 : 0;
            // SQLite's affinity rule: a declared type containing INT is an integer column.
            if (type.contains(u"INT"_s)) {
                (pk ? primary : integers).append(column);
                integerPrimaryKey = integerPrimaryKey || (pk && type == u"INTEGER"_s);
            }
        }
        const bool single = primaryColumns == 1 && primary.size() == 1;
        // The single integer primary key first; the parts of a composite key are plain columns.
        t.keys = single ? primary + integers : integers;
        if (!single) {
            t.keys = {};
            for (const QString &column : std::as_const(t.columns)) {
                if (primary.contains(column) || integers.contains(column))
                    t.keys.append(column);
            }
        }
        const bool rowid = TableSchema::hasRowid(db, name);
        const bool named = std::any_of(t.columns.cbegin(), t.columns.cend(),
            [](const QString &c) { return c.compare(u"rowid"_s, Qt::CaseInsensitive) == 0; });
        if (rowid && !named && !(single && integerPrimaryKey))
            t.keys.append(u"rowid"_s);
        if (t.keys.isEmpty()) {
            t.noKeyReason = rowid ? u"table '%1' has no integer column to use as the key"_s.arg(name)
                                  : u"'%1' has no integer key: it is a view or a WITHOUT ROWID table keyed by "
                                    "text, and CacheScope reads rows by integer keys"_s.arg(name);
        }
        tables.append(t);
    }
    return tables;
}

} // namespace cachescope
