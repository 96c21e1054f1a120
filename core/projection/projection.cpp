#include "core/projection/projection.h"

#include "core/db/database.h"
#include "core/db/rowcodec.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace cachescope {

ProjectionError::ProjectionError(const QString &message, QStringList problems)
    : std::runtime_error(message.toStdString())
    , m_problems(std::move(problems))
{
}

namespace {

QString quoted(const QString &name)
{
    return u'\'' + name + u'\'';
}
} // namespace

Projection Projection::all(const TableSchema &schema)
{
    Projection p;
    p.m_table = schema.table;
    p.m_columns = ColumnSet::firstN(int(schema.columns.size()));
    p.m_names = schema.columns;
    p.m_all = true;
    p.m_keyPosition = schema.keyIndex;
    return p;
}

Projection Projection::fromFields(const TableSchema &schema, const QStringList &fields)
{
    QStringList problems;
    if (fields.isEmpty())
        problems << u"the field list is empty"_s;
    ColumnSet columns;
    QSet<QString> seen;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const QString &name = fields[i];
        if (name.isEmpty()) {
            problems << u"field %1 is an empty name"_s.arg(i + 1);
            continue;
        }
        // Exact match only: the text is compared with the names the database reported, never
        // spliced into SQL, so quotes, semicolons and comments can only fail to match.
        const qsizetype index = schema.columns.indexOf(name);
        if (index < 0) {
            QString problem = quoted(name) + u" is not a column of '"_s + schema.table + u'\'';
            for (const QString &column : schema.columns) {
                if (column.compare(name, Qt::CaseInsensitive) == 0) {
                    problem += u" (did you mean "_s + quoted(column) + u"?)"_s;
                    break;
                }
            }
            problems << problem;
            continue;
        }
        if (seen.contains(name)) {
            problems << quoted(name) + u" is listed more than once"_s;
            continue;
        }
        seen.insert(name);
        columns.insert(int(index));
    }
    if (!problems.isEmpty()) {
        throw ProjectionError(u"bad field list for table '"_s + schema.table + u"': "_s + problems.join(u"; "_s)
                + u" (columns: "_s + schema.columns.join(u", "_s) + u')',
            problems);
    }
    columns.insert(schema.keyIndex); // the key always travels with its row
    Projection p;
    p.m_table = schema.table;
    p.m_columns = columns;
    p.m_all = columns.count() == int(schema.columns.size());
    for (int c : columns.columns()) {
        if (c == schema.keyIndex)
            p.m_keyPosition = int(p.m_names.size());
        p.m_names.append(schema.columns[c]);
    }
    return p;
}

Projection Projection::parse(const TableSchema &schema, const QString &fieldList)
{
    const QString text = fieldList.trimmed();
    if (text.isEmpty() || text == u"*"_s)
        return all(schema);
    QStringList fields = text.split(u',');
    for (QString &f : fields)
        f = f.trimmed();
    return fromFields(schema, fields);
}

bool Projection::covers(const Projection &narrower) const
{
    return m_table == narrower.m_table && m_columns.containsAll(narrower.m_columns);
}

QString Projection::selectList() const
{
    QStringList quotedNames;
    quotedNames.reserve(m_names.size());
    for (const QString &name : m_names)
        quotedNames.append(Database::quoteIdentifier(name));
    return quotedNames.join(u", "_s);
}

QString Projection::toString() const
{
    return m_all ? u"*"_s : m_names.join(u',');
}

} // namespace cachescope
