#define BOOST_TEST_MODULE proxy_unit_tests
#include <boost/test/unit_test.hpp>
