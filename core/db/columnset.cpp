#include "core/db/columnset.h"

#include <bit>

namespace cachescope {

ColumnSet ColumnSet::firstN(int count)
{
    ColumnSet set;
    for (int c = 0; c < count; ++c)
        set.insert(c);
    return set;
}

ColumnSet ColumnSet::fromWords(std::vector<std::uint64_t> words)
{
    ColumnSet set;
    set.m_words = std::move(words);
    set.trim();
    return set;
}

void ColumnSet::trim()
{
    while (!m_words.empty() && m_words.back() == 0)
        m_words.pop_back();
}

void ColumnSet::insert(int column)
{
    const auto word = std::size_t(column) / 64;
    if (m_words.size() <= word)
        m_words.resize(word + 1, 0);
    m_words[word] |= std::uint64_t(1) << (unsigned(column) % 64);
}

bool ColumnSet::contains(int column) const
{
    const auto word = std::size_t(column) / 64;
    return word < m_words.size() && (m_words[word] >> (unsigned(column) % 64) & 1U) != 0;
}

bool ColumnSet::containsAll(const ColumnSet &other) const
{
    if (other.m_words.size() > m_words.size())
        return false;
    for (std::size_t i = 0; i < other.m_words.size(); ++i) {
        if ((other.m_words[i] & ~m_words[i]) != 0)
            return false;
    }
    return true;
}

bool ColumnSet::isEmpty() const
{
    return m_words.empty();
}

int ColumnSet::count() const
{
    int n = 0;
    for (std::uint64_t w : m_words)
        n += std::popcount(w);
    return n;
}

std::vector<int> ColumnSet::columns() const
{
    std::vector<int> out;
    out.reserve(std::size_t(count()));
    for (std::size_t i = 0; i < m_words.size(); ++i) {
        for (std::uint64_t w = m_words[i]; w != 0; w &= w - 1)
            out.push_back(int(i * 64) + std::countr_zero(w));
    }
    return out;
}

} // namespace cachescope
