#include "core/load/source.h"

#include "core/db/database.h"

using namespace Qt::StringLiterals;

namespace cachescope {

DataSource::~DataSource() = default;

QCoro::Task<LoadResult> DataSource::load(std::int64_t key, const Projection *projection, bool keep)
{
    try {
        if (!keep) {
            co_return consumeRow(key, *projection) ? LoadResult {LoadResult::Status::Found, {}, {}}
                                                   : LoadResult {LoadResult::Status::NotFound, {}, {}};
        }
        std::optional<QByteArray> row = readRow(key, *projection);
        co_return row ? LoadResult {LoadResult::Status::Found, std::move(*row), {}}
                      : LoadResult {LoadResult::Status::NotFound, {}, {}};
    } catch (const DbError &e) {
        co_return LoadResult {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
}

QCoro::Task<LoadResult> DataSource::rewrite(std::int64_t key, const Projection *projection)
{
    try {
        const std::optional<std::int64_t> version = rewriteRow(key, *projection);
        LoadResult result {version ? LoadResult::Status::Found : LoadResult::Status::NotFound, {}, {}};
        result.version = version.value_or(0);
        co_return result;
    } catch (const DbError &e) {
        co_return LoadResult {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
}

void DataSource::loadRows(const std::vector<std::int64_t> &keys, const Projection *projection, const RowsDone &done)
{
    RowsResult result;
    try {
        result.rows = readRows(keys, *projection);
    } catch (const DbError &e) {
        result.error = e.message();
        result.errorCode = e.code();
    }
    done(result);
}

void DataSource::prepareFor(int statements)
{
    Q_UNUSED(statements);
}

bool isIntegerTypeName(const QString &type)
{
    // SQLite's rule for integer affinity ("INT" anywhere), which PostgreSQL's names also meet.
    return type.contains(u"int"_s, Qt::CaseInsensitive);
}

int versionColumnIndex(const TableSchema &schema, const QString &column)
{
    const auto index = int(schema.columns.indexOf(column));
    if (index < 0) {
        throw DataError(-1,
            u"db.version_column: table '%1' has no column '%2' (its columns: %3)"_s.arg(
                schema.table, column, schema.columns.join(u", "_s)));
    }
    if (index == schema.keyIndex || !isIntegerTypeName(schema.types.value(index))) {
        throw DataError(-1,
            u"db.version_column: column '%1' of table '%2' is %3; a version column is an integer column other than "
            "the key"_s.arg(column, schema.table,
                index == schema.keyIndex ? u"the key"_s : u"of type '"_s + schema.types.value(index) + u"'"_s));
    }
    return index;
}

} // namespace cachescope
