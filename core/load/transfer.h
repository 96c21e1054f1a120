#pragma once

#include "core/load/datasource.h"
#include "core/projection/projection.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace cachescope {

/// The same keys read twice, with a projection and with full rows: what the projection saves in
/// transfer (bytes SQLite hands over) and in cache memory (what the entries would take).
struct TransferMeasurement {
    QString fields; ///< the projection, as workload.fields would give it
    std::uint64_t requests = 0; ///< reads of each kind (the same keys, in the same order)
    std::uint64_t rowsFound = 0; ///< of which found a row
    std::uint64_t bytesProjected = 0; ///< bytes read with the projection
    std::uint64_t bytesFull = 0; ///< bytes read with full rows
    std::uint64_t entryBytesProjected = 0; ///< cache memory the projected rows would take (key, value, overhead)
    std::uint64_t entryBytesFull = 0; ///< the same for full rows
    double secondsProjected = 0.0; ///< time inside SQLite for the projected reads
    double secondsFull = 0.0; ///< the same for the full rows

    /// 1 − bytes with the projection ÷ bytes for full rows (DESIGN.md's transfer reduction).
    double reduction() const;
    double bytesPerRequest(bool projected) const;
    double entryBytesPerRow(bool projected) const;
    QJsonObject toJson() const;
};

/// Reads \a keys with \a projection and with all columns on \a connection, alternating which goes
/// first in blocks so that neither gets the other's warm pages. \a entryOverhead is what a cache
/// adds to each entry beside its key and value (CacheTier::kEntryOverhead). Throws DbError.
TransferMeasurement measureTransfer(DataSource &connection, const Projection &projection,
    const std::vector<std::int64_t> &keys, std::size_t entryOverhead);

} // namespace cachescope
