#define BOOST_TEST_MODULE pool_unit_tests
#include <boost/test/unit_test.hpp>
