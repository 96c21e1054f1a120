#include "core/warmup/warmupsource.h"

#include "core/load/pgsource.h"

#include "core/db/database.h"
#include "core/db/tableschema.h"

#include <QFile>
#include <QRegularExpression>

#include <unordered_set>

using namespace Qt::StringLiterals;

namespace cachescope::WarmupSource {

KeysFile readKeysFile(const QString &path)
{
    QFile file(path);
    if (path.isEmpty())
        throw WarmupError(u"warmup.keys_file: the keys-file strategy needs a file of keys"_s);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        throw WarmupError(u"warmup.keys_file: cannot open '%1': %2"_s.arg(path, file.errorString()));
    KeysFile result;
    std::unordered_set<std::int64_t> seen;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++result.lines;
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        bool ok = false;
        const std::int64_t key = line.toLongLong(&ok);
        if (!ok) {
            ++result.badLines;
            if (result.badExamples.size() < 3)
                result.badExamples << u"line %1: '%2'"_s.arg(result.lines).arg(QString::fromUtf8(line.left(40)));
            continue;
        }
        if (seen.insert(key).second)
            result.keys.push_back(key);
    }
    if (file.error() != QFile::NoError)
        throw WarmupError(u"warmup.keys_file: reading '%1' failed: %2"_s.arg(path, file.errorString()));
    if (result.keys.empty()) {
        throw WarmupError(
            u"warmup.keys_file: '%1' holds no integer key (%2 bad line(s)%3)"_s.arg(path)
                .arg(result.badLines)
                .arg(result.badExamples.isEmpty() ? QString() : u"; "_s + result.badExamples.join(u"; "_s)));
    }
    return result;
}

std::vector<OrderTerm> parseOrderBy(const QString &orderBy, const TableSchema &schema)
{
    const QString valid = u"the columns of '%1' are %2"_s.arg(schema.table, schema.columns.join(u", "_s));
    if (orderBy.trimmed().isEmpty())
        throw WarmupError(u"warmup.order_by: the query strategy needs columns to order by (%1)"_s.arg(valid));
    static const QRegularExpression term(
        u"^\\s*(\\S+)(?:\\s+(asc|desc))?\\s*$"_s, QRegularExpression::CaseInsensitiveOption);
    std::vector<OrderTerm> terms;
    QStringList problems;
    for (const QString &part : orderBy.split(u',')) {
        const QRegularExpressionMatch m = term.match(part);
        if (!m.hasMatch()) {
            problems << u"'%1' is not \"column [asc|desc]\""_s.arg(part.trimmed());
            continue;
        }
        const QString name = m.captured(1);
        if (!schema.columns.contains(name)) {
            QString problem = u"'%1' is not a column of '%2'"_s.arg(name, schema.table);
            for (const QString &column : schema.columns) {
                if (column.compare(name, Qt::CaseInsensitive) == 0) {
                    problem += u" (did you mean '%1'?)"_s.arg(column);
                    break;
                }
            }
            problems << problem;
            continue;
        }
        terms.push_back({name, m.captured(2).compare(u"desc"_s, Qt::CaseInsensitive) == 0});
    }
    if (!problems.isEmpty())
        throw WarmupError(u"warmup.order_by: %1; %2"_s.arg(problems.join(u"; "_s), valid));
    return terms;
}

std::vector<std::int64_t> queryKeys(const DataSourceSpec &spec, const QString &orderBy, std::int64_t limit)
{
    if (spec.isServer()) {
        const TableSchema schema = PgSource(spec).schema();
        QList<QPair<QString, bool>> order;
        for (const OrderTerm &t : parseOrderBy(orderBy, schema))
            order.append({t.column, t.descending});
        return pgOrderedKeys(spec, order, limit);
    }
    Database db(spec.path, Database::OpenMode::ReadOnly);
    const TableSchema schema = TableSchema::read(db, spec.table, spec.keyColumn);
    QStringList order;
    for (const OrderTerm &t : parseOrderBy(orderBy, schema))
        order << Database::quoteIdentifier(t.column) + (t.descending ? u" DESC"_s : u" ASC"_s);
    // The key last, so ties come out the same way every time.
    order << Database::quoteIdentifier(spec.keyColumn);
    Statement st = db.prepare(u"SELECT %1 FROM %2 ORDER BY %3 LIMIT ?"_s.arg(
        Database::quoteIdentifier(spec.keyColumn), Database::quoteIdentifier(spec.table), order.join(u", "_s)));
    st.bind(1, limit);
    std::vector<std::int64_t> keys;
    while (st.step())
        keys.push_back(st.columnInt64(0));
    return keys;
}

} // namespace cachescope::WarmupSource
