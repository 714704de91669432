// The compiled part of Boost.Asio (with its SSL support) and Boost.Beast,
// built once into cmetrack::asio (cmake/dependencies.cmake) rather than in
// every file that includes them.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
