#define BOOST_TEST_MODULE twilio_unit_tests
#include <boost/test/unit_test.hpp>
