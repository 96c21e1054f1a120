#include "core/load/transfer.h"

using namespace Qt::StringLiterals;

namespace cachescope {

double TransferMeasurement::reduction() const
{
    return bytesFull ? 1.0 - double(bytesProjected) / double(bytesFull) : 0.0;
}

double TransferMeasurement::bytesPerRequest(bool projected) const
{
    return requests ? double(projected ? bytesProjected : bytesFull) / double(requests) : 0.0;
}

double TransferMeasurement::entryBytesPerRow(bool projected) const
{
    return rowsFound ? double(projected ? entryBytesProjected : entryBytesFull) / double(rowsFound) : 0.0;
}

QJsonObject TransferMeasurement::toJson() const
{
    return {
        {u"fields"_s, fields},
        {u"requests"_s, qint64(requests)},
        {u"rows_found"_s, qint64(rowsFound)},
        {u"bytes_read_projected"_s, qint64(bytesProjected)},
        {u"bytes_read_full"_s, qint64(bytesFull)},
        {u"bytes_per_request_projected"_s, bytesPerRequest(true)},
        {u"bytes_per_request_full"_s, bytesPerRequest(false)},
        {u"cache_bytes_per_entry_projected"_s, entryBytesPerRow(true)},
        {u"cache_bytes_per_entry_full"_s, entryBytesPerRow(false)},
        {u"cache_bytes_projected"_s, qint64(entryBytesProjected)},
        {u"cache_bytes_full"_s, qint64(entryBytesFull)},
        {u"db_seconds_projected"_s, secondsProjected},
        {u"db_seconds_full"_s, secondsFull},
        {u"transfer_reduction"_s, reduction()},
    };
}

TransferMeasurement measureTransfer(DataSource &connection, const Projection &projection,
    const std::vector<std::int64_t> &keys, std::size_t entryOverhead)
{
    TransferMeasurement m;
    m.fields = projection.toString();
    const Projection &full = connection.allColumns();
    constexpr std::size_t kBlock = 64;
    auto readBlock = [&connection, entryOverhead](const Projection &p, const std::int64_t *first, std::size_t n,
                         std::uint64_t &bytes, std::uint64_t &entryBytes, double &seconds, std::uint64_t *found) {
        const DataSourceStats before = connection.stats();
        for (std::size_t i = 0; i < n; ++i) {
            if (std::optional<QByteArray> row = connection.readRow(first[i], p)) {
                entryBytes += std::uint64_t(row->size()) + sizeof(std::int64_t) + entryOverhead;
                if (found)
                    ++*found;
            }
        }
        const DataSourceStats spent = connection.stats() - before;
        bytes += spent.bytesRead;
        seconds += double(spent.dbNanos) / 1e9;
    };
    for (std::size_t start = 0, block = 0; start < keys.size(); start += kBlock, ++block) {
        const std::size_t n = std::min(kBlock, keys.size() - start);
        const std::int64_t *first = keys.data() + start;
        if (block % 2 == 0) {
            readBlock(projection, first, n, m.bytesProjected, m.entryBytesProjected, m.secondsProjected, &m.rowsFound);
            readBlock(full, first, n, m.bytesFull, m.entryBytesFull, m.secondsFull, nullptr);
        } else {
            readBlock(full, first, n, m.bytesFull, m.entryBytesFull, m.secondsFull, nullptr);
            readBlock(projection, first, n, m.bytesProjected, m.entryBytesProjected, m.secondsProjected, &m.rowsFound);
        }
        m.requests += n;
    }
    return m;
}

} // namespace cachescope
