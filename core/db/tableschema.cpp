#include "core/db/tableschema.h"

#include "core/db/database.h"

#include <sqlite3.h>

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
    if (schema.keyIndex < 0) {
        throw DbError(SQLITE_ERROR,
            u"key column '"_s + keyColumn + u"' is not a column of table '"_s + table + u"' (columns: "_s
                + schema.columns.join(u", "_s) + u')');
    }
    return schema;
}

} // namespace cachescope
