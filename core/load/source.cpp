#include "core/load/source.h"

#include "core/db/database.h"

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
        const bool found = rewriteRow(key, *projection);
        co_return LoadResult {found ? LoadResult::Status::Found : LoadResult::Status::NotFound, {}, {}};
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

} // namespace cachescope
