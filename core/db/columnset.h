#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace cachescope {

/// A set of column positions of one table (0-based, table order), as a bitset of any width.
/// Small and cheap to compare: what a cached row says about the columns it holds.
class ColumnSet {
public:
    ColumnSet() = default;
    /// Columns 0..count-1.
    static ColumnSet firstN(int count);

    void insert(int column);
    bool contains(int column) const;
    /// True when every column of \a other is in this set.
    bool containsAll(const ColumnSet &other) const;
    bool isEmpty() const;
    int count() const;
    /// The columns in ascending order.
    std::vector<int> columns() const;

    const std::vector<std::uint64_t> &words() const { return m_words; }
    static ColumnSet fromWords(std::vector<std::uint64_t> words);

    friend bool operator==(const ColumnSet &a, const ColumnSet &b) = default;

private:
    void trim();
    std::vector<std::uint64_t> m_words;
};

} // namespace cachescope

template<> struct std::hash<cachescope::ColumnSet> {
    std::size_t operator()(const cachescope::ColumnSet &set) const noexcept
    {
        std::size_t h = 0x9e3779b97f4a7c15ULL;
        for (std::uint64_t w : set.words())
            h = (h ^ w) * 0x100000001b3ULL;
        return h;
    }
};
