#include "sync/central/print/lp_print.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

extern char** environ;

namespace cmetrack::central {
namespace {

// lp hands the file to the local scheduler and exits; a minute is plenty.
constexpr auto lp_deadline = std::chrono::seconds(60);

// The first executable `lp` in PATH's directories, or "".
std::string find_lp() {
  const char* env = std::getenv("PATH");
  const std::string_view path = env && *env ? env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t end = path.find(':', i);
    if (end == std::string_view::npos) end = path.size();
    std::string dir(path.substr(i, end - i));
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/lp";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    i = end + 1;
  }
  return {};
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

result<std::string> print_with_lp(const std::string& pdf, const std::string& title,
                                  const std::optional<std::string>& printer) {
  const std::string lp = find_lp();
  if (lp.empty())
    return bad_input("no lp command: install CUPS (apt-get install cups-client) or write a PDF with --pdf FILE and "
                     "print it yourself");
  std::vector<std::string> args{"lp"};
  if (printer) args.insert(args.end(), {"-d", *printer});
  args.insert(args.end(), {"-t", title, pdf});  // pdf is an absolute path: never an option
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return failure(fmt::format("lp: cannot make a pipe ({})", std::strerror(errno)));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return failure(fmt::format("lp: cannot make a pipe ({})", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, lp.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  if (spawned != 0) {
    close(out[0]);
    close(err[0]);
    return failure(fmt::format("{}: cannot run it ({}); check it is a working lp command", lp, std::strerror(spawned)));
  }

  // Both pipes to their end, or the deadline.
  std::string text[2];
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  const auto deadline = std::chrono::steady_clock::now() + lp_deadline;
  bool late = false;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      late = true;
      break;
    }
    const int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        text[i].append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  if (late) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string command = printer ? fmt::format("lp -d {}", *printer) : std::string("lp");
  if (late)
    return failure(fmt::format("{} did not finish within {} s and was stopped; check the CUPS scheduler "
                               "(lpstat -r) and print {} by hand",
                               command, lp_deadline.count(), pdf));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string why = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                              : fmt::format("signal {}", WTERMSIG(status));
    const std::string said = trimmed(text[1]);
    return failure(fmt::format("{} failed ({}): {}; check the printer's name and state with lpstat -p", command, why,
                               said.empty() ? "it said nothing" : said));
  }
  return trimmed(text[0]);
}

result<temporary_pdf> temporary_pdf::create(const std::string& stem) {
  const char* dir = std::getenv("TMPDIR");
  std::string name = fmt::format("{}/{}-XXXXXX.pdf", dir && *dir ? dir : "/tmp", stem);
  const int fd = mkstemps(name.data(), 4);
  if (fd < 0)
    return failure(fmt::format("{}: cannot make a temporary file for the printer ({}); set TMPDIR to a writable "
                               "directory",
                               name, std::strerror(errno)));
  close(fd);
  return temporary_pdf(std::move(name));
}

temporary_pdf::~temporary_pdf() {
  if (!path_.empty()) {
    unlink(path_.c_str());
    unlink((path_ + ".partial").c_str());
  }
}

}  // namespace cmetrack::central
