#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace cachescope {

/// What a load from the data source produced.
struct LoadResult {
    enum class Status : std::uint8_t {
        Found, ///< value holds the row
        NotFound, ///< no row has this key
        Failed, ///< the load failed; error says why
    };
    Status status = Status::NotFound; ///< outcome
    QByteArray value; ///< the row when found
    QString error; ///< why it failed
    int errorCode = 0; ///< SQLite's result code of the failure (0 = none or not from SQLite)
    std::int64_t version = 0; ///< a write's: the row version it committed (0 = no version column)
    bool fromSharedTier = false; ///< the leader of this load found the row in a shared L2 (Redis), not the database
};

} // namespace cachescope
