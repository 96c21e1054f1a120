#pragma once

#include <coroutine>
#include <functional>
#include <utility>

namespace cachescope {

/// Awaits a callback-style operation: \a start is called with a completion that receives the
/// answer; the coroutine resumes when it runs (on the thread that runs it, from its event
/// loop), or does not suspend at all when the completion runs before start() returns (an
/// answer known at once: a broken connection, a synchronous source). Name it before awaiting
/// (TOOLCHAIN.md: no temporaries inside co_await); QCoro's tasks await a copy of a named awaiter,
/// made before it starts.
template<typename T> class CallbackAwaiter {
public:
    using Completion = std::function<void(T &answer)>;
    using Start = std::function<void(Completion)>;

    explicit CallbackAwaiter(Start start)
        : m_start(std::move(start))
    {
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> handle)
    {
        m_inStart = true;
        m_start([this, handle](T &answer) {
            m_answer = std::move(answer);
            if (m_inStart)
                m_answeredAtOnce = true;
            else
                handle.resume();
        });
        m_inStart = false;
        return !m_answeredAtOnce;
    }
    T await_resume() { return std::move(m_answer); }

private:
    Start m_start;
    T m_answer {};
    bool m_inStart = false;
    bool m_answeredAtOnce = false;
};

} // namespace cachescope
