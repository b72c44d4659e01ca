-- wrk script: POST /conversations/v1/Conversations with Basic auth, as the Twilio client would.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_SANDBOX_AUTH")
wrk.body = "FriendlyName=bench&Attributes=%7B%7D"
