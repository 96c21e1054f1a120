#pragma once

#include <QString>

#include <cstdint>
#include <functional>

namespace cachescope {

/// The demo database: one realistic wide table of an online shop's catalogue.
struct DemoDatabase {
    static constexpr auto kTable = "products";
    static constexpr auto kKeyColumn = "id";
    static constexpr std::int64_t kDefaultRows = 100000;
    static constexpr std::uint64_t kDefaultSeed = 42;
    static constexpr std::int64_t kMaxRows = 50'000'000;

    /// Creates the database at \a path with \a rows rows generated from \a seed (the same seed
    /// gives the same bytes of data). Built under a temporary name beside \a path and renamed
    /// into place at the end, so \a path is either absent or complete; an existing file is never
    /// overwritten. \a progress (optional) gets rows written so far. Throws DbError naming the
    /// problem (existing file, missing directory, bad row count, SQLite failure).
    static void create(const QString &path, std::int64_t rows, std::uint64_t seed = kDefaultSeed,
        const std::function<void(std::int64_t)> &progress = {});

    /// Loads the same catalogue (the same seed gives the same rows) into a new table `products`
    /// of the PostgreSQL database at \a url, with COPY, in one transaction: the table is there
    /// complete or not at all. Never touches a table that exists (throws DbError saying so).
    /// \a progress may throw to stop it (the transaction is then rolled back).
    static void createOnServer(const QString &url, std::int64_t rows, std::uint64_t seed = kDefaultSeed,
        const std::function<void(std::int64_t)> &progress = {});

    /// The default location (the user's data directory), created if needed.
    static QString defaultPath();

    /// Creates the default demo database when it does not exist yet; returns its path.
    static QString ensureDefault(const std::function<void(std::int64_t)> &progress = {});
};

} // namespace cachescope
